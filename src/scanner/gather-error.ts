/** A gatherer's failure, recorded in its artefact instead of thrown (STYLE §2). */
export interface GatherError {
  /** Stable machine code, e.g. `target_not_allowed`, `dns_failed`, `timeout`, `tls_failed`, `connect_failed`. */
  code: string;
  message: string;
}

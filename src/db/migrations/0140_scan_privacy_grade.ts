import { sql, type Kysely } from 'kysely';

/**
 * The privacy grade of each scan beside its overall grade (issue 13: the site page's privacy grade
 * history), so the history reads two small columns instead of every stored report. Scans stored
 * before this migration get theirs from their report's `categories`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('scans')
    .addColumn('privacy_grade', 'text')
    .addColumn('privacy_score', 'integer')
    .execute();
  await sql`
    update scans
    set privacy_grade = category ->> 'grade',
        privacy_score = round((category ->> 'score')::numeric)
    from (
      select s.id, c.value as category
      from scans s, jsonb_array_elements(s.report::jsonb -> 'categories') c
      where s.browser and s.report is not null and c.value ->> 'category' = 'privacy'
    ) privacy
    where scans.id = privacy.id
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scans').dropColumn('privacy_grade').dropColumn('privacy_score').execute();
}

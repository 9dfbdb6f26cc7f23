import { create } from 'qrcode';
import { useMemo } from 'react';

const QUIET_ZONE = 4; // modules of light margin the QR specification asks for (ISO/IEC 18004 §6.3.8)

/**
 * A QR code drawn as one inline SVG path from the encoder's module matrix: no image URL, no style
 * attribute, so it needs nothing from the CSP. Always dark on light, whatever the theme, because
 * authenticator apps' cameras expect that.
 */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const { path, extent } = useMemo(() => {
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    let d = '';
    for (let row = 0; row < modules.size; row++)
      for (let col = 0; col < modules.size; col++)
        if (modules.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    return { path: d, extent: modules.size + 2 * QUIET_ZONE };
  }, [text]);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}

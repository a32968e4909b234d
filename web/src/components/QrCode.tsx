import { useEffect, useState } from 'react';

/** Draws `text` as a QR code (the `qrcode` package, loaded with the page that needs it). */
export function QrCode({
  text,
  label,
  size = 240,
}: {
  text: string;
  label: string;
  size?: number;
}) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then(
        (out) => live && setSvg(out),
      ),
    );
    return () => {
      live = false;
    };
  }, [text]);
  return (
    <div
      className="mh-qr"
      role="img"
      aria-label={label}
      style={{ width: size, height: size }}
      // The SVG is produced locally by the qrcode library from our own text, not from user HTML.
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
      data-qr={text}
    />
  );
}

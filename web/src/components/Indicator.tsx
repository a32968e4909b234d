export type Tone = 'success' | 'warning' | 'danger' | 'secondary';

/**
 * A small coloured pill in the header. The colour is never the only signal: the text says the
 * same, and `label` prefixes it for screen readers ("Server status: Server OK").
 * role="status" makes changes announced politely.
 */
export function Indicator({ tone, label, text }: { tone: Tone; label: string; text: string }) {
  return (
    <span
      role="status"
      className={`mh-indicator border border-${tone}-subtle bg-${tone}-subtle text-${tone}-emphasis`}
      title={text}
    >
      <span className={`mh-dot bg-${tone}`} aria-hidden="true" />
      <span className="visually-hidden">{label}: </span>
      <span className="mh-indicator-text">{text}</span>
    </span>
  );
}

/**
 * Type sizes of the timeline picture, in pixels at its 1200-px width. Chosen
 * so the picture still reads when a chat client shows it at 600 px: no text
 * smaller than 13 px here (6.5 px there).
 */
export const TYPE = {
  title: 28,
  selection: 17,
  legend: 15,
  lane: 15,
  labelTitle: 16,
  labelDate: 13,
  more: 13,
  tick: 14,
  footer: 14,
  sources: 13,
} as const;

/** An event label: a date line over a title line. */
export const LABEL_BOX = { height: 40, rowHeight: 44, dateBaseline: 15, titleBaseline: 34, padding: 5 } as const;

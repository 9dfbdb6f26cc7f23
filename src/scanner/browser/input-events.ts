/**
 * The visitor-input event types the instrumentation records listeners for (instrument.page.js gets
 * them as an argument) and the session-replay detector groups: one list for both.
 */
export const INPUT_EVENTS = {
  keyboard: ['keydown', 'keypress', 'keyup', 'input', 'beforeinput', 'change', 'paste', 'copy'],
  pointer: [
    'click',
    'dblclick',
    'mousedown',
    'mouseup',
    'mousemove',
    'pointermove',
    'pointerdown',
    'scroll',
    'wheel',
    'select',
  ],
  touch: ['touchstart', 'touchmove', 'touchend'],
  focus: ['focus', 'blur', 'focusin', 'focusout'],
  sensor: ['devicemotion', 'deviceorientation'],
} as const;

export const ALL_INPUT_EVENTS: readonly string[] = Object.values(INPUT_EVENTS).flat();

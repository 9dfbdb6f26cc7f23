/* global window, document, performance */
// VIOscan's page instrumentation (instrument.ts turns this file into INSTRUMENT_SCRIPT). It runs as an
// init script before any page script, in every frame, and reports calls of fingerprinting-relevant
// APIs, input listeners, storage writes and DOM serialisation through the recording binding.
// The page is hostile: everything it could replace later (the binding, Reflect, String methods,
// Error.prepareStackTrace) is captured or neutralised here, wrappers look native (name, length,
// toString, not constructible), recording never throws into the page, and counts and strings are capped.
// eslint-disable-next-line @typescript-eslint/no-unused-expressions -- instrument.ts appends the call
(function vioscanInstrument(bindingName, sourceMarker, inputEvents) {
  'use strict';
  const send = window[bindingName];
  if (typeof send !== 'function') return; // no binding in this frame, or already instrumented
  try {
    delete window[bindingName]; // the page cannot call or replace it afterwards
  } catch {
    // non-configurable: keep the captured reference anyway
  }

  const apply = Reflect.apply;
  const describe = Reflect.getOwnPropertyDescriptor;
  const define = Reflect.defineProperty;
  const NativeError = Error;
  const toStr = String;
  const isInteger = Number.isInteger;
  const slice = String.prototype.slice;
  const indexOf = String.prototype.indexOf;
  const split = String.prototype.split;
  const trim = String.prototype.trim;
  const mapGet = WeakMap.prototype.get;
  const mapSet = WeakMap.prototype.set;
  const setHas = Set.prototype.has;
  const setAdd = Set.prototype.add;
  const promiseThen = Promise.prototype.then;
  const perfNow = performance.now;
  const timeOrigin = performance.timeOrigin;
  const noop = () => undefined;

  const MAX_TOTAL = 3000; // records per document
  const MAX_PER_SCRIPT_API = 150; // records per (script, api): a chart library cannot use up a fingerprinter's budget
  const MAX_CALLS_PER_API = 20000; // calls examined per api: past this, stop paying for stack traces
  const TEXT_MAX = 100;

  // Objects are described, never converted: their toString is page code, and a second call would show.
  const cap = (value, max) => {
    if (value !== null && (typeof value === 'object' || typeof value === 'function'))
      return '[' + typeof value + ']';
    const text = typeof value === 'string' ? value : toStr(value);
    return text.length > max ? apply(slice, text, [0, max]) : text;
  };

  // ---- attribution: the first stack frame with a URL that is not this script ----
  const LOCATION = /((?:[a-z][a-z0-9+.-]*):[^\s()]*?):(\d+):(\d+)/i;
  const exec = LOCATION.exec;
  function caller() {
    let stack;
    const prepare = NativeError.prepareStackTrace;
    const limit = NativeError.stackTraceLimit;
    try {
      // V8 lets a page format (or empty) every stack through these two: use the built-in format.
      NativeError.prepareStackTrace = undefined;
      NativeError.stackTraceLimit = 30;
      stack = new NativeError().stack;
    } catch {
      stack = undefined;
    } finally {
      try {
        NativeError.prepareStackTrace = prepare;
        NativeError.stackTraceLimit = limit;
      } catch {
        // a page made them read-only: nothing to restore
      }
    }
    if (typeof stack !== 'string') return {};
    const lines = apply(split, stack, ['\n']);
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (apply(indexOf, line, [sourceMarker]) >= 0) continue;
      const found = apply(exec, LOCATION, [line]);
      if (found)
        return { script: cap(found[1], 500), frame: cap(found[1] + ':' + found[2] + ':' + found[3], 520) };
    }
    return {};
  }

  // ---- recording ----
  const perKey = Object.create(null);
  const callsPerApi = Object.create(null);
  const seen = new Set();
  let total = 0;

  function record(api, detail, once) {
    if (total >= MAX_TOTAL) return;
    const calls = (callsPerApi[api] || 0) + 1;
    callsPerApi[api] = calls;
    if (calls > MAX_CALLS_PER_API) return;
    const where = caller();
    const key = api + '\u0000' + (where.script || '');
    if (once !== undefined) {
      const onceKey = key + '\u0000' + once;
      if (apply(setHas, seen, [onceKey])) return;
      apply(setAdd, seen, [onceKey]);
    }
    const count = (perKey[key] || 0) + 1;
    if (count > MAX_PER_SCRIPT_API) return;
    perKey[key] = count;
    total++;
    const entry = { api, detail, atMs: timeOrigin + apply(perfNow, performance, []) };
    if (where.script !== undefined) entry.script = where.script;
    if (where.frame !== undefined) entry.frame = where.frame;
    try {
      const pending = apply(send, window, [entry]);
      if (pending && typeof pending === 'object') apply(promiseThen, pending, [undefined, noop]);
    } catch {
      // the recorder is gone (page closing): drop the record
    }
  }

  // ---- native-looking wrappers ----
  const originals = new WeakMap();
  const fnToString = Function.prototype.toString;
  const toStringWrapper = {
    toString() {
      const original = apply(mapGet, originals, [this]);
      return apply(fnToString, original === undefined ? this : original, []);
    },
  }.toString;
  apply(mapSet, originals, [toStringWrapper, fnToString]);
  define(Function.prototype, 'toString', {
    ...describe(Function.prototype, 'toString'),
    value: toStringWrapper,
  });

  function disguise(wrapper, original) {
    define(wrapper, 'length', { value: original.length, configurable: true });
    apply(mapSet, originals, [wrapper, original]);
    return wrapper;
  }
  const quietly = (hook, self, args, result) => {
    try {
      hook(self, args, result);
    } catch {
      // recording must never change what the page sees
    }
  };

  function wrapMethod(proto, name, hook) {
    const desc = proto && describe(proto, name);
    if (!desc || typeof desc.value !== 'function') return;
    const original = desc.value;
    const wrapper = {
      [name](...args) {
        const result = apply(original, this, args);
        quietly(hook, this, args, result);
        return result;
      },
    }[name];
    define(proto, name, { ...desc, value: disguise(wrapper, original) });
  }

  function wrapSetter(proto, name, hook) {
    const desc = proto && describe(proto, name);
    if (!desc || typeof desc.set !== 'function') return;
    const original = desc.set;
    const wrapper = describe(
      {
        set [name](value) {
          apply(original, this, [value]);
          quietly(hook, this, [value]);
        },
      },
      name,
    ).set;
    define(proto, name, { ...desc, set: disguise(wrapper, original) });
  }

  function wrapGetter(proto, name, hook) {
    const desc = proto && describe(proto, name);
    if (!desc || typeof desc.get !== 'function') return;
    const original = desc.get;
    const wrapper = describe(
      {
        get [name]() {
          const value = apply(original, this, []);
          quietly(hook, this, [], value);
          return value;
        },
      },
      name,
    ).get;
    define(proto, name, { ...desc, get: disguise(wrapper, original) });
  }

  const getterOf = (proto, name) => {
    const desc = proto && describe(proto, name);
    return desc && typeof desc.get === 'function' ? desc.get : undefined;
  };
  const read = (getter, self) => {
    try {
      return getter ? apply(getter, self, []) : undefined;
    } catch {
      return undefined;
    }
  };
  // location's members are own, unforgeable properties of the object, not of Location.prototype.
  const locationOrigin = getterOf(window.location, 'origin');
  const origin = () => cap(read(locationOrigin, window.location) || '', 200);

  // ---- canvas 2D (Englehardt & Narayanan 2016: size, text, colours, read-back, other drawing use) ----
  const canvasIds = new WeakMap();
  let nextCanvas = 1;
  const canvasId = (canvas) => {
    if (!canvas || typeof canvas !== 'object') return 0;
    let id = apply(mapGet, canvasIds, [canvas]);
    if (id === undefined) {
      id = nextCanvas++;
      apply(mapSet, canvasIds, [canvas, id]);
    }
    return id;
  };
  const contextTypes = new WeakMap();
  const HTMLCanvas = window.HTMLCanvasElement && window.HTMLCanvasElement.prototype;
  const Offscreen = window.OffscreenCanvas && window.OffscreenCanvas.prototype;
  const sizeGetters = [
    [getterOf(HTMLCanvas, 'width'), getterOf(HTMLCanvas, 'height')],
    [getterOf(Offscreen, 'width'), getterOf(Offscreen, 'height')],
  ];
  function canvasFacts(canvas) {
    for (let i = 0; i < sizeGetters.length; i++) {
      const width = read(sizeGetters[i][0], canvas);
      if (isInteger(width)) {
        return { canvas: canvasId(canvas), width, height: read(sizeGetters[i][1], canvas) || 0 };
      }
    }
    return { canvas: canvasId(canvas), width: 0, height: 0 };
  }
  const styleText = (style) => (typeof style === 'string' ? cap(style, 60) : '[' + typeof style + ']');

  function instrument2d(iface) {
    const proto = window[iface] && window[iface].prototype;
    if (!proto) return;
    const canvasOf = getterOf(proto, 'canvas');
    const fillStyle = getterOf(proto, 'fillStyle');
    const strokeStyle = getterOf(proto, 'strokeStyle');
    const font = getterOf(proto, 'font');
    const facts = (ctx) => canvasFacts(read(canvasOf, ctx));
    const drawText = (name, styleGetter) =>
      wrapMethod(proto, name, (ctx, args) => {
        const detail = facts(ctx);
        detail.text = cap(args[0], TEXT_MAX);
        detail.style = styleText(read(styleGetter, ctx));
        record(iface + '.' + name, detail);
      });
    drawText('fillText', fillStyle);
    drawText('strokeText', strokeStyle);
    wrapMethod(proto, 'save', (ctx) => record(iface + '.save', facts(ctx), 'any'));
    wrapMethod(proto, 'restore', (ctx) => record(iface + '.restore', facts(ctx), 'any'));
    wrapSetter(proto, 'font', (ctx, args) => {
      const value = cap(args[0], TEXT_MAX);
      record(iface + '.font', { font: value }, value);
    });
    wrapMethod(proto, 'measureText', (ctx, args) =>
      record(iface + '.measureText', { text: cap(args[0], 50), font: cap(read(font, ctx) || '', TEXT_MAX) }),
    );
    wrapMethod(proto, 'getImageData', (ctx, args) => {
      const detail = facts(ctx);
      detail.x = Number(args[0]) || 0;
      detail.y = Number(args[1]) || 0;
      detail.readWidth = Number(args[2]) || 0;
      detail.readHeight = Number(args[3]) || 0;
      record(iface + '.getImageData', detail);
    });
  }
  instrument2d('CanvasRenderingContext2D');
  instrument2d('OffscreenCanvasRenderingContext2D');

  const describeRead = (canvas, args) => {
    const detail = canvasFacts(canvas);
    detail.context = apply(mapGet, contextTypes, [canvas]) || 'none';
    if (args[0] !== undefined && typeof args[0] !== 'function') detail.type = cap(args[0], 40);
    return detail;
  };
  for (const iface of ['HTMLCanvasElement', 'OffscreenCanvas']) {
    const proto = window[iface] && window[iface].prototype;
    wrapMethod(proto, 'getContext', (canvas, args, context) => {
      if (context) apply(mapSet, contextTypes, [canvas, cap(args[0], 30)]);
    });
    wrapMethod(proto, 'toDataURL', (canvas, args) =>
      record(iface + '.toDataURL', describeRead(canvas, args)),
    );
    wrapMethod(proto, 'toBlob', (canvas, args) => record(iface + '.toBlob', describeRead(canvas, [args[1]])));
    wrapMethod(proto, 'convertToBlob', (canvas) =>
      record(iface + '.convertToBlob', describeRead(canvas, [])),
    );
  }

  // ---- WebGL: the unmasked vendor/renderer (WEBGL_debug_renderer_info) and pixel reads ----
  const GL_NAMES = Object.create(null);
  GL_NAMES[0x1f00] = 'VENDOR';
  GL_NAMES[0x1f01] = 'RENDERER';
  GL_NAMES[0x9245] = 'UNMASKED_VENDOR_WEBGL';
  GL_NAMES[0x9246] = 'UNMASKED_RENDERER_WEBGL';
  for (const iface of ['WebGLRenderingContext', 'WebGL2RenderingContext']) {
    const proto = window[iface] && window[iface].prototype;
    wrapMethod(proto, 'getExtension', (gl, args) => {
      const name = cap(args[0], 60);
      if (name === 'WEBGL_debug_renderer_info') record(iface + '.getExtension', { name }, name);
    });
    wrapMethod(proto, 'getParameter', (gl, args) => {
      const name = typeof args[0] === 'number' ? GL_NAMES[args[0]] : undefined;
      if (name) record(iface + '.getParameter', { pname: Number(args[0]), name }, name);
    });
    wrapMethod(proto, 'readPixels', (gl, args) =>
      record(iface + '.readPixels', { readWidth: Number(args[2]) || 0, readHeight: Number(args[3]) || 0 }),
    );
  }

  // ---- audio (Das/Acar): an OfflineAudioContext rendering an oscillator through a compressor ----
  const OfflineProto = window.OfflineAudioContext && window.OfflineAudioContext.prototype;
  const offlineLength = getterOf(OfflineProto, 'length');
  const audioKind = (ctx) => (isInteger(read(offlineLength, ctx)) ? 'OfflineAudioContext' : 'AudioContext');
  const BaseAudio = window.BaseAudioContext && window.BaseAudioContext.prototype;
  for (const name of ['createOscillator', 'createDynamicsCompressor', 'createAnalyser']) {
    wrapMethod(BaseAudio, name, (ctx) => record(audioKind(ctx) + '.' + name, {}, 'any'));
  }
  wrapGetter(BaseAudio, 'destination', (ctx) => record(audioKind(ctx) + '.destination', {}, 'any'));
  wrapMethod(OfflineProto, 'startRendering', () => record('OfflineAudioContext.startRendering', {}, 'any'));
  wrapSetter(OfflineProto, 'oncomplete', () => record('OfflineAudioContext.oncomplete', {}, 'any'));
  const AudioBufferProto = window.AudioBuffer && window.AudioBuffer.prototype;
  wrapMethod(AudioBufferProto, 'getChannelData', () => record('AudioBuffer.getChannelData', {}, 'any'));
  const AnalyserProto = window.AnalyserNode && window.AnalyserNode.prototype;
  wrapMethod(AnalyserProto, 'getFloatFrequencyData', () =>
    record('AnalyserNode.getFloatFrequencyData', {}, 'any'),
  );

  // ---- WebRTC local-IP discovery: a data channel, an offer, and ICE candidates collected ----
  const RTC = window.RTCPeerConnection && window.RTCPeerConnection.prototype;
  wrapMethod(RTC, 'createDataChannel', () => record('RTCPeerConnection.createDataChannel', {}, 'any'));
  wrapMethod(RTC, 'createOffer', () => record('RTCPeerConnection.createOffer', {}, 'any'));
  wrapSetter(RTC, 'onicecandidate', () => record('RTCPeerConnection.onicecandidate', {}, 'any'));

  // ---- listeners: user input (key logging, replay), canvas (the exclusion rule), ICE, audio ----
  const INPUT_EVENTS = new Set(inputEvents);
  // Constructors captured now: the page may replace the globals later.
  const targetKinds = [
    ['HTMLCanvasElement', 'canvas'],
    ['HTMLInputElement', 'input'],
    ['HTMLTextAreaElement', 'input'],
    ['HTMLSelectElement', 'input'],
    ['HTMLFormElement', 'form'],
    ['RTCPeerConnection', 'RTCPeerConnection'],
    ['OfflineAudioContext', 'OfflineAudioContext'],
    ['Element', 'element'],
  ]
    .filter(([name]) => typeof window[name] === 'function')
    .map(([name, kind]) => [window[name], kind]);
  const docElement = getterOf(window.Document && window.Document.prototype, 'documentElement');
  const docBody = getterOf(window.Document && window.Document.prototype, 'body');
  function targetKind(target) {
    if (target === window) return 'window';
    if (target === document) return 'document';
    if (target === read(docElement, document)) return 'html';
    if (target === read(docBody, document)) return 'body';
    for (let i = 0; i < targetKinds.length; i++) {
      if (target instanceof targetKinds[i][0]) return targetKinds[i][1];
    }
    return 'other';
  }
  const EventTargetProto = window.EventTarget && window.EventTarget.prototype;
  wrapMethod(EventTargetProto, 'addEventListener', (target, args) => {
    const type = cap(args[0], 40);
    const kind = targetKind(target);
    const wanted =
      kind === 'canvas' ||
      apply(setHas, INPUT_EVENTS, [type]) ||
      (kind === 'RTCPeerConnection' && type === 'icecandidate') ||
      (kind === 'OfflineAudioContext' && type === 'complete');
    if (wanted) record('EventTarget.addEventListener', { type, target: kind }, type + ' ' + kind);
  });

  // ---- storage and cookies written by scripts ----
  let localArea;
  let sessionArea;
  try {
    localArea = window.localStorage;
    sessionArea = window.sessionStorage;
  } catch {
    // storage refused in this frame (sandbox, blocked cookies)
  }
  const StorageProto = window.Storage && window.Storage.prototype;
  wrapMethod(StorageProto, 'setItem', (area, args) =>
    record('Storage.setItem', {
      area: area === localArea ? 'localStorage' : area === sessionArea ? 'sessionStorage' : 'unknown',
      key: cap(args[0], TEXT_MAX),
      value: cap(args[1], TEXT_MAX),
      origin: origin(),
    }),
  );
  const IDBStore = window.IDBObjectStore && window.IDBObjectStore.prototype;
  const storeName = getterOf(IDBStore, 'name');
  const storeTransaction = getterOf(IDBStore, 'transaction');
  const transactionDb = getterOf(window.IDBTransaction && window.IDBTransaction.prototype, 'db');
  const dbName = getterOf(window.IDBDatabase && window.IDBDatabase.prototype, 'name');
  for (const name of ['put', 'add']) {
    wrapMethod(IDBStore, name, (store, args) => {
      const detail = {
        database: cap(read(dbName, read(transactionDb, read(storeTransaction, store))) || '', TEXT_MAX),
        store: cap(read(storeName, store) || '', TEXT_MAX),
        value: cap(args[0], TEXT_MAX),
        origin: origin(),
      };
      if (args.length > 1) detail.key = cap(args[1], TEXT_MAX);
      record('IDBObjectStore.' + name, detail);
    });
  }
  wrapSetter(window.Document && window.Document.prototype, 'cookie', (doc, args) => {
    const text = cap(args[0], 600);
    const semicolon = apply(indexOf, text, [';']);
    const pair = semicolon < 0 ? text : apply(slice, text, [0, semicolon]);
    const equals = apply(indexOf, pair, ['=']);
    record('Document.cookie', {
      name: cap(apply(trim, equals < 0 ? '' : apply(slice, pair, [0, equals]), []), TEXT_MAX),
      value: cap(apply(trim, equals < 0 ? pair : apply(slice, pair, [equals + 1]), []), TEXT_MAX),
      attributes: cap(semicolon < 0 ? '' : apply(slice, text, [semicolon + 1]), 200),
      origin: origin(),
    });
  });

  // ---- session replay behaviour: the whole document observed or serialised ----
  const pageKind = (node) => {
    if (node === document) return 'document';
    if (node === read(docElement, document)) return 'html';
    if (node === read(docBody, document)) return 'body';
    return undefined;
  };
  wrapMethod(window.MutationObserver && window.MutationObserver.prototype, 'observe', (observer, args) => {
    const target = pageKind(args[0]);
    if (!target) return;
    const options = args[1] || {};
    record(
      'MutationObserver.observe',
      {
        target,
        subtree: options.subtree === true,
        childList: options.childList === true,
        attributes: options.attributes === true,
        characterData: options.characterData === true,
      },
      target,
    );
  });
  wrapMethod(
    window.XMLSerializer && window.XMLSerializer.prototype,
    'serializeToString',
    (serializer, args) => {
      const target = pageKind(args[0]);
      if (target) record('XMLSerializer.serializeToString', { target }, target);
    },
  );
  for (const name of ['outerHTML', 'innerHTML']) {
    wrapGetter(window.Element && window.Element.prototype, name, (element) => {
      const target = pageKind(element);
      if (target) record('Element.' + name, { target }, target);
    });
  }
});

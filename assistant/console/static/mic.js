// The microphone: getUserMedia → AudioWorklet (ScriptProcessor where there is none) → 16 kHz s16le → WebSocket.
"use strict";

const TARGET_RATE = 16000;
const CHUNK_SAMPLES = 1600; // 100 ms at 16 kHz per message

// Box-filter decimation: each output sample is the mean of the input samples it covers,
// which is the low-pass that keeps 48 kHz speech from aliasing at 16 kHz.
class Resampler {
  constructor(inRate) { this.step = inRate / TARGET_RATE; this.pos = 0; this.acc = 0; this.count = 0; }
  push(input, out) {
    for (let i = 0; i < input.length; i++) {
      this.acc += input[i];
      this.count += 1;
      this.pos += 1;
      if (this.pos >= this.step) {
        this.pos -= this.step;
        const v = Math.max(-1, Math.min(1, this.acc / this.count));
        out.push(v < 0 ? v * 32768 : v * 32767);
        this.acc = 0;
        this.count = 0;
      }
    }
  }
}

const mic = { ws: null, ctx: null, stream: null, node: null, pending: [] };

function flush(force) {
  while (mic.pending.length >= CHUNK_SAMPLES || (force && mic.pending.length)) {
    const part = mic.pending.splice(0, CHUNK_SAMPLES);
    if (mic.ws && mic.ws.readyState === WebSocket.OPEN) mic.ws.send(Int16Array.from(part).buffer);
  }
}

async function capture() {
  mic.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  mic.ctx = new AudioContext();
  const source = mic.ctx.createMediaStreamSource(mic.stream);
  const resampler = new Resampler(mic.ctx.sampleRate);
  const take = (samples) => { resampler.push(samples, mic.pending); flush(false); };
  if (mic.ctx.audioWorklet) {
    await mic.ctx.audioWorklet.addModule("/static/pcm-worklet.js");
    mic.node = new AudioWorkletNode(mic.ctx, "pcm-tap");
    mic.node.port.onmessage = (e) => take(e.data);
  } else {
    mic.node = mic.ctx.createScriptProcessor(4096, 1, 1);
    mic.node.onaudioprocess = (e) => take(e.inputBuffer.getChannelData(0));
  }
  source.connect(mic.node);
  mic.node.connect(mic.ctx.destination); // a node that reaches no destination is not pulled
}

function release() {
  if (mic.node) mic.node.disconnect();
  if (mic.stream) mic.stream.getTracks().forEach((t) => t.stop());
  if (mic.ctx) mic.ctx.close();
  mic.node = mic.stream = mic.ctx = null;
  const button = document.getElementById("mic");
  button.classList.remove("recording");
  button.textContent = "● Speak";
}

function stop() {
  flush(true);
  if (mic.ws && mic.ws.readyState === WebSocket.OPEN) mic.ws.send("end");
  release();
}

async function start() {
  const { speaker, session, lang, showAnswer, showError, select } = window.lingxi;
  const button = document.getElementById("mic");
  const params = new URLSearchParams({ speaker: speaker(), session: session(), lang: lang() });
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  mic.pending = [];
  mic.ws = new WebSocket(`${scheme}://${location.host}/api/listen?${params}`);
  mic.ws.binaryType = "arraybuffer";
  mic.ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.error) { showError(msg.error); release(); }
    else if (msg.request_id && !msg.answer) select(msg.request_id, true);
    if (msg.ended) release(); // the service heard the end of speech
    if (msg.answer) { showAnswer(msg.answer); select(msg.request_id, true); }
  };
  await new Promise((resolve, reject) => { mic.ws.onopen = resolve; mic.ws.onerror = reject; });
  try {
    await capture();
  } catch (err) {
    showError({ code: "UNAVAILABLE", message: `no microphone: ${err.message || err}` });
    mic.ws.close();
    release();
    return;
  }
  button.classList.add("recording");
  button.textContent = "■ Stop";
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("mic");
  if (!button) return;
  button.addEventListener("click", () => (mic.stream ? stop() : start()));
});

// MegaStream live viewer: server-sent events from /api/events, three.js for the meshes.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

// What the page has done, for people and for the browser test.
const state = { mode: null, received: 0, drawn: 0, late: 0, delaysMs: [], sentDelaysMs: [], cameras: {}, errors: [] };
window.megastream = state;
window.addEventListener('error', e => state.errors.push(String(e.message)));

const BODY_HEIGHT_M = 1.7;
const bytes = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const body = await (await fetch('/api/body')).json();
const faces = new Uint32Array(bytes(body.faces).buffer);
const pendingDelays = [];

// Blue → cyan → green → yellow → red over 0..100 mm.
const RAMP = [[0.19, 0.31, 0.82], [0.19, 0.75, 0.75], [0.38, 0.82, 0.25], [0.94, 0.82, 0.13], [0.88, 0.19, 0.13]];
function ramp(mm) {
  const t = Math.min(Math.max(mm / 100, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(t), RAMP.length - 2), f = t - i;
  return RAMP[i].map((c, k) => c + (RAMP[i + 1][k] - c) * f);
}

// Mean per-vertex SD of a sampled person, from the SD it carries (the result's summary may be unset).
function meanSd(ev) {
  if (ev.meanSdMm > 0) { return ev.meanSdMm; }
  const sd = bytes(ev.sd);
  return sd.reduce((a, b) => a + b, 0) / Math.max(sd.length, 1);
}

class CameraView {
  constructor(id) {
    this.id = id;
    this.seq = null;
    this.persons = new Map();
    this.meshes = [];
    this.samples = [];
    this.paused = false;
    this.dirty = false;
    const el = document.createElement('section');
    el.className = 'camera';
    el.dataset.camera = id;
    el.innerHTML = `<h2>${id} <small class="info"></small> <button class="pause">pause</button></h2>
      <div class="views"><div class="frame"><canvas></canvas></div><div class="three"></div></div>
      <ul class="persons"></ul>`;
    document.getElementById('cameras').appendChild(el);
    this.el = el;
    this.image = null; // the picture of the frame on screen, drawn into the canvas with its overlay
    this.canvas = el.querySelector('canvas');
    this.info = el.querySelector('.info');
    this.list = el.querySelector('.persons');
    el.querySelector('.pause').onclick = e => this.setPaused(!this.paused, e.target);

    const holder = el.querySelector('.three');
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.setSize(480, 360);
    holder.appendChild(this.renderer.domElement);
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0x22262d);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x404050, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.5);
    sun.position.set(1, 2, 1);
    this.scene.add(sun);
    this.grid = new THREE.GridHelper(10, 20, 0x556070, 0x363c46);
    this.scene.add(this.grid);
    this.camera = new THREE.PerspectiveCamera(50, 480 / 360, 0.05, 100);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => { this.dirty = true; });
    this.placed = false;
    state.cameras[id] = { drawn: 0, seq: null, persons: 0, withMesh: 0 };
  }

  setPaused(p, button) {
    this.paused = p;
    button.textContent = p ? 'resume' : 'pause';
    if (!p) { this.clearSamples(); }
  }

  update(ev) {
    if (this.paused) { return; }
    if (this.seq !== null && ev.seq < this.seq && ev.seq > this.seq - 100) {
      state.late++; // a result of an earlier frame (a sampled person comes after its frame's others)
      return;
    }
    if (ev.seq !== this.seq) {
      this.seq = ev.seq;
      this.captureUs = ev.captureUs;
      this.sentMs = ev.sentMs;
      this.persons = new Map();
      // everything of a frame changes together: draw() waits for its picture (or gives up on it)
      const img = new Image();
      const seq = ev.seq;
      this.loading = img;
      this.loadingSince = performance.now();
      img.onload = () => { if (this.seq === seq) { this.image = img; this.loading = null; this.dirty = true; } };
      img.onerror = () => { if (this.seq === seq) { this.loading = null; this.dirty = true; } };
      img.src = `/api/frames/${encodeURIComponent(this.id)}/${seq}.jpg`;
      this.clearSamples();
      this.delayPending = true;
    }
    this.persons.set(ev.person, ev);
    this.dirty = true;
  }

  // Pinhole placement of a pelvis-centred mesh from its box (nominal focal length = frame width).
  place(ev, w, h) {
    const f = w;
    const [bx, by, bw, bh] = ev.box;
    const z = f * BODY_HEIGHT_M / Math.max(bh, 1);
    return new THREE.Vector3(((bx + bw / 2) - w / 2) * z / f, -((by + bh / 2) - h / 2) * z / f, -z);
  }

  meshFor(i) {
    while (this.meshes.length <= i) {
      const g = new THREE.BufferGeometry();
      g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(body.vertices * 3), 3));
      g.setAttribute('color', new THREE.BufferAttribute(new Float32Array(body.vertices * 3), 3));
      g.setIndex(new THREE.BufferAttribute(faces, 1));
      const m = new THREE.Mesh(g, new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.7, side: THREE.DoubleSide }));
      this.scene.add(m);
      this.meshes.push(m);
    }
    return this.meshes[i];
  }

  fill(geometry, v16, offset) {
    const pos = geometry.attributes.position.array;
    for (let k = 0; k < body.vertices; k++) {
      pos[3 * k] = v16[3 * k] / 1000 + offset.x;
      pos[3 * k + 1] = -v16[3 * k + 1] / 1000 + offset.y;
      pos[3 * k + 2] = -v16[3 * k + 2] / 1000 + offset.z;
    }
    geometry.attributes.position.needsUpdate = true;
    geometry.computeVertexNormals();
    geometry.computeBoundingSphere();
  }

  size() {
    const first = this.persons.values().next().value;
    return [this.image?.naturalWidth || first?.frame?.[0] || 640,
            this.image?.naturalHeight || first?.frame?.[1] || 480];
  }

  draw() {
    if (!this.dirty) { return; }
    if (this.loading && performance.now() - this.loadingSince < 1000) { return; } // its picture first
    this.dirty = false;
    const [w, h] = this.size();
    let n = 0, lowest = Infinity;
    const centre = new THREE.Vector3();
    const items = [];
    for (const ev of [...this.persons.values()].sort((a, b) => a.person - b.person)) {
      if (!ev.v) { continue; }
      const v16 = new Int16Array(bytes(ev.v).buffer);
      const offset = this.place(ev, w, h);
      const m = this.meshFor(n++);
      this.fill(m.geometry, v16, offset);
      const col = m.geometry.attributes.color.array;
      const sd = ev.sd ? bytes(ev.sd) : null;
      for (let k = 0; k < body.vertices; k++) {
        const c = sd ? ramp(sd[k]) : [0.72, 0.74, 0.78];
        col[3 * k] = c[0]; col[3 * k + 1] = c[1]; col[3 * k + 2] = c[2];
        lowest = Math.min(lowest, m.geometry.attributes.position.array[3 * k + 1]);
      }
      m.geometry.attributes.color.needsUpdate = true;
      m.visible = true;
      centre.add(offset);
      items.push(ev);
    }
    for (let i = n; i < this.meshes.length; i++) { this.meshes[i].visible = false; }
    if (n > 0) {
      centre.divideScalar(n);
      this.grid.position.set(centre.x, lowest, centre.z);
      if (!this.placed) { // start at the camera's own view point, looking down its axis
        this.camera.fov = 2 * Math.atan(h / 2 / w) * 180 / Math.PI;
        this.camera.aspect = 480 / 360;
        this.camera.position.set(0, 0, 0.01);
        this.camera.updateProjectionMatrix();
        this.controls.target.set(0, 0, centre.z);
        this.controls.update();
        this.placed = true;
      }
    }
    this.renderer.render(this.scene, this.camera);
    this.draw2d(items, w, h);
    this.listPersons();
    const s = state.cameras[this.id];
    s.seq = this.seq; s.persons = this.persons.size; s.withMesh = n; s.drawn++;
    if (n > 0) { state.drawn++; }
    if (this.delayPending && n > 0) {
      this.delayPending = false;
      const d = Date.now() - this.captureUs / 1000;
      state.delaysMs.push(d);
      s.lastDelayMs = d;
      state.sentDelaysMs.push(this.sentMs - this.captureUs / 1000);
      if (state.delaysMs.length > 1000) { state.delaysMs.shift(); state.sentDelaysMs.shift(); }
      pendingDelays.push(d.toFixed(0));
      this.info.textContent = `frame ${this.seq} · ${n} mesh(es)` + (state.mode === 'live' ? ` · capture → draw ${d.toFixed(0)} ms` : ' · replay');
    }
  }

  draw2d(items, w, h) {
    const c = this.canvas;
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const g = c.getContext('2d');
    g.clearRect(0, 0, w, h);
    if (this.image) { g.drawImage(this.image, 0, 0, w, h); }
    g.lineWidth = Math.max(1.5, w / 320);
    for (const ev of this.persons.values()) {
      const [bx, by, bw, bh] = ev.box;
      g.strokeStyle = ev.status === 'OK' ? '#5fd07a' : '#f0a040';
      g.strokeRect(bx, by, bw, bh);
    }
    for (const ev of items) {
      const j = ev.joints2d;
      g.strokeStyle = ev.mode === 'stochastic' ? '#f0d020' : '#80c8ff';
      g.beginPath();
      body.parents.forEach((p, k) => {
        if (p >= 0) { g.moveTo(j[2 * k], j[2 * k + 1]); g.lineTo(j[2 * p], j[2 * p + 1]); }
      });
      g.stroke();
    }
  }

  listPersons() {
    this.list.replaceChildren();
    for (const ev of [...this.persons.values()].sort((a, b) => a.person - b.person)) {
      const li = document.createElement('li');
      li.textContent = `person ${ev.person}` + (ev.track !== null ? ` · track ${ev.track}` : '') +
        ` · ${ev.status === 'OK' ? ev.mode : ev.status}` +
        (ev.status === 'OK' ? ` · confidence ${ev.confidence.toFixed(2)}` : '') +
        (ev.sd ? ` · mean SD ${meanSd(ev).toFixed(0)} mm ` : ' ');
      if (ev.sd && state.samples) {
        const b = document.createElement('button');
        b.textContent = 'samples';
        b.onclick = () => this.showSamples(ev);
        li.appendChild(b);
      }
      this.list.appendChild(li);
    }
  }

  async showSamples(ev) {
    this.setPaused(true, this.el.querySelector('.pause'));
    const r = await fetch(`/api/samples/${encodeURIComponent(this.id)}/${ev.seq}/${ev.person}`);
    if (!r.ok) { this.info.textContent = `samples: ${await r.text()}`; return; }
    const { samples } = await r.json();
    const [w, h] = this.size();
    const offset = this.place(ev, w, h);
    this.clearSamples();
    samples.forEach((s, i) => {
      const g = new THREE.BufferGeometry();
      g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(body.vertices * 3), 3));
      g.setIndex(new THREE.BufferAttribute(faces, 1));
      this.fill(g, new Int16Array(bytes(s).buffer), offset);
      const m = new THREE.Mesh(g, new THREE.MeshBasicMaterial({
        color: new THREE.Color().setHSL(i / samples.length, 0.8, 0.6), wireframe: true, transparent: true, opacity: 0.35 }));
      this.scene.add(m);
      this.samples.push(m);
    });
    this.info.textContent = `frame ${ev.seq} · person ${ev.person}: ${samples.length} samples (wireframes) — paused`;
    this.dirty = true;
  }

  clearSamples() {
    for (const m of this.samples) { this.scene.remove(m); m.geometry.dispose(); m.material.dispose(); }
    this.samples = [];
  }
}

const views = new Map();
const statusEl = document.getElementById('status');
const source = new EventSource('/api/events');
source.addEventListener('hello', e => {
  const h = JSON.parse(e.data);
  state.mode = h.mode; state.samples = h.samples;
  for (const v of views.values()) { v.seq = null; v.paused = false; } // (re)connected: start afresh
  statusEl.textContent = h.mode === 'live' ? 'live' : 'replaying the topics';
  statusEl.className = 'live';
});
source.addEventListener('mesh', e => {
  const ev = JSON.parse(e.data);
  state.received++;
  let v = views.get(ev.camera);
  if (!v) {
    v = new CameraView(ev.camera);
    views.set(ev.camera, v);
    [...views.values()].sort((a, b) => a.id.localeCompare(b.id)).forEach(x => x.el.parentNode.appendChild(x.el));
  }
  v.update(ev);
});
source.addEventListener('reset', () => { // a replay starts over
  for (const v of views.values()) { v.seq = null; }
});
source.onerror = () => { statusEl.textContent = 'disconnected, retrying…'; statusEl.className = 'down'; };

function frame() {
  for (const v of views.values()) { v.draw(); }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

setInterval(async () => {
  if (pendingDelays.length && state.mode === 'live') {
    fetch('/api/draws', { method: 'POST', body: pendingDelays.splice(0).join(',') }).catch(() => {});
  } else {
    pendingDelays.length = 0;
  }
  try {
    const s = await (await fetch('/api/stats')).json();
    const d = s.drawDelayMs.n ? ` · capture → draw p50 ${s.drawDelayMs.p50} ms, p99 ${s.drawDelayMs.p99} ms` : '';
    document.getElementById('stats').textContent =
      `${s.meshes} results · ${state.drawn} drawn here · ${s.dropped} dropped for slow viewers` + d;
  } catch (e) { /* the server is gone; EventSource reports it */ }
}, 2000);

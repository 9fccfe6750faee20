// Tessera's camera inside the web view (phones, and desktop with TESSERA_CAMERA=web):
// getUserMedia shows the live picture in <video id="webcam">; each time Rust sends "next",
// the newest picture goes back as a grey frame: "frame:WIDTH:HEIGHT:BASE64". Failures go back
// as "error:NAME:MESSAGE" (NotAllowedError, NotFoundError, NotReadableError, ...), and a
// granted camera whose picture will not play as "error:PlayError:...". "stop" ends it and
// turns the camera off.
//
// TEST_IMAGE is null, or a data: URL that stands in for the camera (the end-to-end test has
// no camera); everything after getUserMedia is the same.
const TEST_IMAGE = __TEST_IMAGE__;
const MAX_SIDE = 960;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let video = null;
for (let i = 0; i < 100 && !video; i++) {
  video = document.getElementById("webcam");
  if (!video) await sleep(20);
}
let source = null;
let stream = null;
try {
  if (TEST_IMAGE) {
    const image = new Image();
    image.src = TEST_IMAGE;
    await image.decode();
    if (video) video.poster = TEST_IMAGE;
    source = image;
  } else {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw { name: "NotFoundError", message: "this web view offers no camera" };
    }
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
    if (!video) throw { name: "AbortError", message: "the camera view was closed" };
    video.srcObject = stream;
    source = video;
  }
} catch (e) {
  dioxus.send("error:" + (e.name || "Error") + ":" + (e.message || ""));
  return;
}
if (stream) {
  // The camera was granted; a picture that will not play (an autoplay policy, a web view that
  // wants a tap first) is its own error, never "permission denied".
  try {
    await video.play();
  } catch (e) {
    stream.getTracks().forEach((track) => track.stop());
    dioxus.send("error:PlayError:" + (e.name || "Error") + " " + (e.message || ""));
    return;
  }
}

const canvas = document.createElement("canvas");
const context = canvas.getContext("2d", { willReadFrequently: true });
try {
  // Stop when Rust says so, or when the camera view has left the page (the Scan tab closed).
  const left = (async () => {
    while (!video || video.isConnected) await sleep(500);
    return "stop";
  })();
  while ((await Promise.race([dioxus.recv(), left])) === "next") {
    const width0 = source.videoWidth || source.naturalWidth || 0;
    const height0 = source.videoHeight || source.naturalHeight || 0;
    if (!width0 || !height0) {
      dioxus.send("wait");
      continue;
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(width0, height0));
    const width = Math.round(width0 * scale);
    const height = Math.round(height0 * scale);
    canvas.width = width;
    canvas.height = height;
    context.drawImage(source, 0, 0, width, height);
    const rgba = context.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0, j = 0; j < grey.length; i += 4, j++) {
      grey[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
    }
    let binary = "";
    for (let i = 0; i < grey.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, grey.subarray(i, i + 0x8000));
    }
    dioxus.send("frame:" + width + ":" + height + ":" + btoa(binary));
  }
} finally {
  if (stream) stream.getTracks().forEach((track) => track.stop());
  // A new scan (the next QR code of a Google export) may already show its own stream here.
  if (video && stream && video.srcObject === stream) video.srcObject = null;
}

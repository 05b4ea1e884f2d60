// 扫码核销: read the member's pickup QR code with the camera (getUserMedia + jsQR on a canvas) or from a photo
// (decoded here, in the browser), then post its text to /w/scan, which checks it and hands the order out.
(() => {
  const form = document.getElementById("scan-form");
  const field = document.getElementById("scan-token");
  const canvas = document.getElementById("scan-canvas");
  const status = document.getElementById("scan-status");
  const video = document.getElementById("scan-video");
  const view = document.getElementById("scan-view");
  const start = document.getElementById("scan-start");
  const photo = document.getElementById("scan-photo");
  if (!form || !canvas) { return; }
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let stream = null;

  const say = (text) => { status.textContent = text; };

  const send = (text) => {
    stop();
    field.value = text;
    say("已识别，正在核销…");
    form.submit();
  };

  // the QR code's text in what the canvas holds now, or null
  const decode = (width, height) => {
    if (typeof window.jsQR !== "function") { say("扫码组件未加载，请刷新页面或手动输入。"); return null; }
    const image = ctx.getImageData(0, 0, width, height);
    const found = window.jsQR(image.data, width, height, { inversionAttempts: "attemptBoth" });
    return found && found.data ? found.data : null;
  };

  const stop = () => {
    if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
    if (view) { view.hidden = true; }
  };

  const tick = () => {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const text = decode(canvas.width, canvas.height);
      if (text) { send(text); return; }
    }
    window.requestAnimationFrame(tick);
  };

  if (start) {
    start.addEventListener("click", async () => {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say("此浏览器不能打开摄像头，请拍照上传或手动输入。");
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (err) {
        say("无法打开摄像头（未授权或没有摄像头），请拍照上传或手动输入。");
        return;
      }
      video.srcObject = stream;
      view.hidden = false;
      await video.play().catch(() => {});
      say("请将二维码对准取景框…");
      window.requestAnimationFrame(tick);
    });
  }

  if (photo) {
    photo.addEventListener("change", () => {
      const file = photo.files && photo.files[0];
      if (!file) { return; }
      say("正在识别照片…");
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = () => {
        // a phone photo is large: scaled to at most 1280 px on its long side, jsQR stays quick
        const scale = Math.min(1, 1280 / Math.max(img.naturalWidth, img.naturalHeight));
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        const text = decode(canvas.width, canvas.height);
        if (text) { send(text); } else { say("照片中没有识别到二维码，请重拍（对准、避免反光）或手动输入。"); }
        photo.value = "";
      };
      img.onerror = () => { URL.revokeObjectURL(url); say("无法读取这张图片，请换一张。"); };
      img.src = url;
    });
  }

  window.addEventListener("pagehide", stop);
})();

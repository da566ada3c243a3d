// The plain-JavaScript side of the benchmarks (bench.html): the honest
// alternatives wasmcanvas is measured against, written as idiomatic JS over a
// Uint8ClampedArray of RGBA pixels, the frame loop written in JS against
// rust_image directly, and the OpenCV.js cases. The benchmark itself is
// Python (wasmcanvas_site.bench); it calls these and times them.
import initRustImage, { Life, RgbaImage } from "./pkg/rust_image.js";

/** Rec. 601 luma, as the Rust kernel and Pillow compute it. */
export function grayscale(data) {
  for (let i = 0; i < data.length; i += 4) {
    const luma = (data[i] * 19595 + data[i + 1] * 38470 + data[i + 2] * 7471 + 0x8000) >> 16;
    data[i] = data[i + 1] = data[i + 2] = luma;
  }
}

export function invert(data) {
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255 - data[i];
    data[i + 1] = 255 - data[i + 1];
    data[i + 2] = 255 - data[i + 2];
  }
}

/** Separable Gaussian of standard deviation `sigma` (kernel radius 3 sigma),
 * edges extended: the textbook way. */
export function gaussianBlur(data, width, height, sigma) {
  const radius = Math.ceil(sigma * 3);
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= total;
  const scratch = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = -radius; k <= radius; k++) {
        const sx = Math.min(width - 1, Math.max(0, x + k));
        const i = (y * width + sx) * 4, w = kernel[k + radius];
        r += data[i] * w; g += data[i + 1] * w; b += data[i + 2] * w; a += data[i + 3] * w;
      }
      const o = (y * width + x) * 4;
      scratch[o] = r; scratch[o + 1] = g; scratch[o + 2] = b; scratch[o + 3] = a;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = -radius; k <= radius; k++) {
        const sy = Math.min(height - 1, Math.max(0, y + k));
        const i = (sy * width + x) * 4, w = kernel[k + radius];
        r += scratch[i] * w; g += scratch[i + 1] * w; b += scratch[i + 2] * w; a += scratch[i + 3] * w;
      }
      const o = (y * width + x) * 4;
      data[o] = r; data[o + 1] = g; data[o + 2] = b; data[o + 3] = a;
    }
  }
}

/** 3x3 sharpen (Pillow's SHARPEN weights), borders copied. */
export function sharpen(data, width, height) {
  const source = data.slice();
  const weights = [-2, -2, -2, -2, 32, -2, -2, -2, -2];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let ky = -1; ky <= 1; ky++) {
          for (let kx = -1; kx <= 1; kx++) {
            sum += source[((y + ky) * width + x + kx) * 4 + c] * weights[(ky + 1) * 3 + kx + 1];
          }
        }
        data[(y * width + x) * 4 + c] = sum / 16;
      }
    }
  }
}

/** Bilinear resize to half size (2x2 average, the exact bilinear result for a
 * factor of 2), into a new array. */
export function resizeHalf(data, width, height) {
  const w = width >> 1, h = height >> 1;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (2 * y * width + 2 * x) * 4, j = i + width * 4, o = (y * w + x) * 4;
      for (let c = 0; c < 4; c++) out[o + c] = (data[i + c] + data[i + 4 + c] + data[j + c] + data[j + 4 + c] + 2) >> 2;
    }
  }
  return out;
}

/** TypedArray.set of `length` bytes of wasm memory into a preallocated array. */
export function memcpy(pixels, target) {
  target.set(pixels);
}

/** The frame loop of the Python benchmark written as a JS developer would
 * write it against rust_image directly: a Game of Life of `width` x `height`
 * (seeded like the Python one) stepped in Rust and blitted through one
 * ImageData over wasm memory, for `frames` animation frames. No Python runs
 * inside the loop. Resolves to frames per second. */
export async function frameLoop(frames, context, width, height, seed, density) {
  const { memory } = await initRustImage();
  const world = new Life(width, height);
  const frame = new RgbaImage(width, height);
  world.randomize(seed, density);
  const pixels = new ImageData(new Uint8ClampedArray(memory.buffer, frame.ptr(), width * height * 4), width, height);
  try {
    return await new Promise((resolve) => {
      let count = 0, started = 0;
      const step = (now) => {
        if (count === 0) started = now;
        world.tick(1);
        world.render(frame);
        context.putImageData(pixels, 0, 0);
        count += 1;
        if (count < frames) requestAnimationFrame(step);
        else requestAnimationFrame((end) => resolve((frames * 1000) / (end - started)));
      };
      requestAnimationFrame(step);
    });
  } finally {
    world.free();
    frame.free();
  }
}

/** OpenCV.js 5.0 from npm, a classic script that leaves a promise of the
 * module in `globalThis.cv`. */
export async function loadOpenCV() {
  await import("./vendor/opencv/opencv.js");
  const cv = await globalThis.cv;
  const build = cv.getBuildInformation();
  return { cv, version: cv.CV_VERSION ?? (build.match(/Version control:\s*(\S+)/) ?? [])[1] ?? "?" };
}

/** The OpenCV.js side of the kernel cases: each entry runs one operation on
 * `pixels` (RGBA, `width` x `height`) into an output Mat allocated once, as
 * OpenCV code reuses its Mats. `free()` releases them all. */
export function opencvCases(cv, pixels, width, height) {
  const source = new cv.Mat(height, width, cv.CV_8UC4);
  source.data.set(pixels);
  const small = new cv.Mat();
  cv.resize(source, small, new cv.Size(width >> 1, height >> 1), 0, 0, cv.INTER_AREA);
  const out = new cv.Mat();
  const sharpen = cv.matFromArray(3, 3, cv.CV_32F, [-2, -2, -2, -2, 32, -2, -2, -2, -2].map((w) => w / 16));
  const smoothMore = cv.matFromArray(5, 5, cv.CV_32F,
    [1, 1, 1, 1, 1, 1, 5, 5, 5, 1, 1, 5, 44, 5, 1, 1, 5, 5, 5, 1, 1, 1, 1, 1, 1].map((w) => w / 100));
  const square = cv.Mat.ones(3, 3, cv.CV_8U);
  const rotation = cv.getRotationMatrix2D(new cv.Point(width / 2, height / 2), 30, 1);
  const anchor = new cv.Point(-1, -1);
  const mats = [source, small, out, sharpen, smoothMore, square, rotation];
  return {
    grayscale: () => cv.cvtColor(source, out, cv.COLOR_RGBA2GRAY),
    invert: () => cv.bitwise_not(source, out),
    gaussian_blur: () => cv.GaussianBlur(source, out, new cv.Size(0, 0), 3, 3, cv.BORDER_REPLICATE),
    box_blur: () => cv.blur(source, out, new cv.Size(7, 7), anchor, cv.BORDER_REPLICATE),
    sharpen: () => cv.filter2D(source, out, -1, sharpen, anchor, 0, cv.BORDER_REPLICATE),
    smooth_more: () => cv.filter2D(source, out, -1, smoothMore, anchor, 0, cv.BORDER_REPLICATE),
    median3: () => cv.medianBlur(source, out, 3),
    min3: () => cv.erode(source, out, square, anchor, 1, cv.BORDER_REPLICATE),
    reduce2: () => cv.resize(source, out, new cv.Size(width >> 1, height >> 1), 0, 0, cv.INTER_AREA),
    upscale2: () => cv.resize(small, out, new cv.Size(width, height), 0, 0, cv.INTER_LINEAR),
    rotate30: () => cv.warpAffine(source, out, rotation, new cv.Size(width, height), cv.INTER_LINEAR,
      cv.BORDER_CONSTANT, new cv.Scalar(0, 0, 0, 0)),
    free: () => mats.forEach((mat) => mat.delete()),
  };
}

/** wasm-vips (npm, pinned): libvips built with Emscripten, whose pthreads
 * need a crossOriginIsolated page. Its optional modules (HEIF, JPEG XL) are
 * not loaded, and its operation cache is off, so every call computes. */
export async function loadVips() {
  const { default: Vips } = await import("./vendor/wasm-vips/vips-es6.js");
  const vips = await Vips({ dynamicLibraries: [] });
  vips.Cache.max(0);
  return { vips, version: String(vips.version()) };
}

/** The wasm-vips side of the cases bench.html compares it on: the same
 * operations on the same picture (`pixels`, RGBA) and 12-megapixel JPEG.
 * libvips is lazy: each case renders its result into memory
 * (`copyMemory`) and frees it, so the pixels are computed as ours are.
 * `threads(n)` sets libvips's worker threads; `free()` releases it all. */
export function vipsCases(vips, pixels, width, height, jpeg) {
  const source = vips.Image.newFromMemory(pixels, width, height, 4, "uchar");
  const rgb = source.extractBand(0, { n: 3 }).copyMemory();
  const sharpen = vips.Image.newFromArray([[-2, -2, -2], [-2, 32, -2], [-2, -2, -2]], 16, 0);
  const box = vips.Image.newFromArray([[1, 1, 1, 1, 1, 1, 1]], 7, 0);
  const bilinear = vips.Interpolate.newFromName("bilinear");
  // Pillow's rotate(30): anticlockwise about the centre, the same size.
  const [cx, cy, cos, sin] = [width / 2, height / 2, Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
  const rotation = { interpolate: bilinear, oarea: [0, 0, width, height], idx: -cx, idy: -cy, odx: cx, ody: cy,
    background: [0, 0, 0, 0] };
  const render = (image) => {
    const pixelsOut = image.copyMemory();
    image.delete();
    pixelsOut.delete();
  };
  const kept = [source, rgb, sharpen, box, bilinear];
  return {
    gaussian_blur: () => render(source.gaussblur(3)),
    sharpen: () => render(source.conv(sharpen, { precision: "integer" })),
    // Its integer path measured slower here on this uniform mask than float.
    box_blur: () => render(source.convsep(box, { precision: "float" })),
    resize_bilinear: () => render(source.resize(0.5, { kernel: "linear" })),
    rotate30: () => render(source.affine([cos, sin, -sin, cos], rotation)),
    median3: () => render(source.median(3)),
    thumbnail_jpeg: () => render(vips.Image.thumbnailBuffer(jpeg, 256, { height: 256 })),
    jpeg_encode: () => rgb.jpegsaveBuffer({ Q: 75 }),
    jpeg_decode: () => render(vips.Image.newFromBuffer(jpeg)),
    threads: (count) => vips.concurrency(count),
    free: () => kept.forEach((object) => object.delete()),
  };
}

/** The browser's own JPEG codecs: encode the picture (`pixels`, RGBA, drawn
 * once on an OffscreenCanvas) at quality 0.75, decode the 12-megapixel
 * `jpeg` to pixels in hand (createImageBitmap, drawImage, getImageData), and
 * decode it to fit 256x256 (createImageBitmap's resize, which may decode
 * smaller). Each resolves when done, so the timing awaits it. */
export function browserCodecs(pixels, width, height, jpeg, jpegWidth, jpegHeight, thumbWidth, thumbHeight) {
  const picture = new OffscreenCanvas(width, height);
  picture.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
  const file = new Blob([jpeg], { type: "image/jpeg" });
  const canvas = (w, h) => new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: true });
  const full = canvas(jpegWidth, jpegHeight), thumb = canvas(thumbWidth, thumbHeight);
  const decode = async (context, options) => {
    const bitmap = await createImageBitmap(file, options);
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    return context.getImageData(0, 0, context.canvas.width, context.canvas.height).data.length;
  };
  return {
    jpeg_encode: async () => (await picture.convertToBlob({ type: "image/jpeg", quality: 0.75 })).type,
    jpeg_decode: () => decode(full),
    thumbnail_jpeg: () => decode(thumb, { resizeWidth: thumbWidth, resizeHeight: thumbHeight, resizeQuality: "medium" }),
  };
}

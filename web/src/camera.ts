// The camera as a barcode scanner, where the browser offers BarcodeDetector
// (Chrome on Android tablets). Feature-detected: elsewhere nothing is shown
// and the scan box (a USB scanner types into it like a keyboard) is the way.
// The same code seen again within 3 seconds is one scan.
import { h } from './dom';
import { t } from './i18n';
import { action } from './ui';

interface Detected { rawValue: string; }
interface Detector { detect(source: HTMLVideoElement): Promise<Detected[]>; }
type DetectorClass = new (options: { formats: string[] }) => Detector;

export function cameraScanner(scan: (code: string) => void, signal: AbortSignal): HTMLElement | null {
  const Klass = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Klass || !navigator.mediaDevices?.getUserMedia) return null;
  const video = h('video', { class: 'camera', muted: true, playsinline: true });
  const box = h('div', { class: 'camera-box' });
  let stream: MediaStream | null = null;
  let timer = 0;
  const seen = new Map<string, number>();
  const stop = () => {
    window.clearInterval(timer);
    stream?.getTracks().forEach((tr) => tr.stop());
    stream = null;
    video.remove();
  };
  signal.addEventListener('abort', stop);
  const button = action(t('audit.camera'), async () => {
    if (stream) {
      stop();
      return;
    }
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    box.append(video);
    await video.play();
    const detector = new Klass({ formats: ['code_128', 'qr_code', 'data_matrix'] });
    timer = window.setInterval(async () => {
      if (!stream || video.readyState < 2) return;
      for (const d of await detector.detect(video).catch(() => [] as Detected[])) {
        const now = Date.now();
        if ((seen.get(d.rawValue) ?? 0) + 3000 > now) continue;
        seen.set(d.rawValue, now);
        scan(d.rawValue);
      }
    }, 250);
  });
  box.append(button);
  return box;
}

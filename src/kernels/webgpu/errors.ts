/**
 * WebGPU failures become exceptions.
 *
 * WebGPU reports validation errors (an invalid shader, a bad binding) as
 * asynchronous `uncapturederror` events, and tfjs-backend-webgpu ignores them:
 * the failed dispatch leaves zeros in the output and nothing is thrown. A lost
 * device is never recovered by tfjs. The watch records both; pixelprep checks
 * it before each of its kernels and on every read of a tensor, so a result
 * computed under an error is never returned as if it were right.
 */
import { PixelprepError } from '../../core/errors.js';

/** How many error messages one exception quotes. */
const QUOTED_ERRORS = 3;

/** Watches one GPUDevice for uncaptured errors and loss. */
export class DeviceWatch {
  private readonly errors: string[] = [];
  private lostInfo: { reason: string; message: string } | null = null;

  constructor(device: GPUDevice) {
    device.addEventListener('uncapturederror', (event) => {
      const error = 'error' in event ? (event as GPUUncapturedErrorEvent).error : null;
      this.errors.push(firstLines(error?.message ?? 'unknown WebGPU error'));
    });
    void device.lost.then((info) => {
      this.lostInfo = { reason: String(info.reason), message: firstLines(info.message) };
    });
  }

  /** True once the device is lost (destroyed, driver reset, out of memory...). */
  get lost(): boolean {
    return this.lostInfo !== null;
  }

  /**
   * Throws when the device is lost, or when WebGPU reported errors since the
   * last check (each error is reported once).
   * @param during - what pixelprep was doing, for the message ("reading a tensor").
   * @throws PixelprepError E_BACKEND.
   */
  check(during: string): void {
    this.checkLost(during);
    if (this.errors.length === 0) return;
    const errors = this.errors.splice(0);
    const quoted = errors.slice(0, QUOTED_ERRORS).join(' | ');
    const more = errors.length > QUOTED_ERRORS ? ` (and ${errors.length - QUOTED_ERRORS} more)` : '';
    throw new PixelprepError(
      'E_BACKEND',
      `Expected WebGPU work to run without errors while ${during} but the device reported ${errors.length} error(s), so results computed since the last check may be zeros: ${quoted}${more}`,
    );
  }

  /**
   * Throws when the device is lost.
   * @throws PixelprepError E_BACKEND.
   */
  checkLost(during: string): void {
    if (this.lostInfo) {
      const { reason, message } = this.lostInfo;
      throw new PixelprepError(
        'E_BACKEND',
        `Expected a live WebGPU device while ${during} but the device was lost (reason '${reason}': ${message}); tfjs cannot recover it: call setBackend('webgpu') again to start a new device`,
      );
    }
  }
}

/** Dawn messages carry a shader excerpt and a call trace: the first lines say what failed. */
function firstLines(message: string): string {
  return message.split('\n').filter((line) => line.trim() !== '').slice(0, 2).join(' ').trim();
}

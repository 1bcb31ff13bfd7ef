/**
 * The kernels layer's surface for the layers above: the kernel choices, the
 * plan check, and the host kernel into a caller's buffer. Kernels themselves
 * are registered with tfjs by register_all_kernels.ts and reached by name.
 */
import './register_all_kernels.js';
import type { HostPixels } from '../core/input.js';
import type { AffinePlan } from '../core/plan.js';
import { applyPlanInto } from '../core/scaler.js';

export { checkPlanFits } from '../core/affine_op.js';
export { KERNEL_CHOICES, type KernelChoice } from '../core/kernel_registry.js';
export { BACKEND_KERNELS } from './register_all_kernels.js';

/**
 * The host kernel into a caller's buffer, whatever the tfjs backend (no tensors, no allocation).
 * @throws PixelprepError E_SHAPE, E_ARGUMENT, E_VALUE as `applyPlanInto`.
 */
export const runPlanInto = (host: HostPixels, plan: AffinePlan, out: Float32Array): void => applyPlanInto(host, plan, out);

import type { InjectionToken } from 'tsyringe';

/** The injected clock: the core never reads the system time itself. */
export type Clock = () => Date;

export const CLOCK: InjectionToken<Clock> = Symbol.for('os-hypervisors:Clock');

export const systemClock: Clock = () => new Date();

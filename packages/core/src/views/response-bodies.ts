import * as t from 'io-ts';
import { type ApiVersion, mv } from '../microversion/version.js';
import type { Operation } from '../routes/table.js';
import { AggregateV21, AggregateV241 } from './aggregate-codecs.js';
import {
  HypervisorDetailExactV21,
  HypervisorDetailExactV228,
  HypervisorDetailExactV253,
  HypervisorDetailExactV288,
  HypervisorStatisticsExact,
  HypervisorSummaryV21,
  HypervisorSummaryV253,
  HypervisorUptimeV21,
  HypervisorUptimeV253,
  HypervisorWithServersV21,
  hypervisorBody,
  hypervisorListBody,
} from './hypervisor-codecs.js';

/** The body of a 200 answer within one microversion range. */
export interface ResponseBody {
  readonly min: ApiVersion;
  readonly max?: ApiVersion;
  readonly codec: t.Mixed;
}

/**
 * What each operation answers, per microversion range: the view builders' output as data (views/
 * hypervisor.ts switches at 2.28, 2.33, 2.53, 2.88; aggregates at 2.41). The OpenAPI documents are
 * generated from this table, and tests decode every answer with it.
 */
export const RESPONSE_BODIES: Readonly<Record<Operation, ReadonlyArray<ResponseBody>>> = {
  list: [
    { min: mv('2.1'), max: mv('2.32'), codec: hypervisorListBody(HypervisorSummaryV21, false) },
    { min: mv('2.33'), max: mv('2.52'), codec: hypervisorListBody(HypervisorSummaryV21, true) },
    { min: mv('2.53'), codec: hypervisorListBody(HypervisorSummaryV253, true) },
  ],
  detail: [
    { min: mv('2.1'), max: mv('2.27'), codec: hypervisorListBody(HypervisorDetailExactV21, false) },
    { min: mv('2.28'), max: mv('2.32'), codec: hypervisorListBody(HypervisorDetailExactV228, false) },
    { min: mv('2.33'), max: mv('2.52'), codec: hypervisorListBody(HypervisorDetailExactV228, true) },
    { min: mv('2.53'), max: mv('2.87'), codec: hypervisorListBody(HypervisorDetailExactV253, true) },
    { min: mv('2.88'), codec: hypervisorListBody(HypervisorDetailExactV288, true) },
  ],
  show: [
    { min: mv('2.1'), max: mv('2.27'), codec: hypervisorBody(HypervisorDetailExactV21) },
    { min: mv('2.28'), max: mv('2.52'), codec: hypervisorBody(HypervisorDetailExactV228) },
    { min: mv('2.53'), max: mv('2.87'), codec: hypervisorBody(HypervisorDetailExactV253) },
    { min: mv('2.88'), codec: hypervisorBody(HypervisorDetailExactV288) },
  ],
  uptime: [
    { min: mv('2.1'), max: mv('2.52'), codec: hypervisorBody(HypervisorUptimeV21) },
    { min: mv('2.53'), max: mv('2.87'), codec: hypervisorBody(HypervisorUptimeV253) },
  ],
  search: [{ min: mv('2.1'), max: mv('2.52'), codec: hypervisorListBody(HypervisorSummaryV21, false) }],
  servers: [{ min: mv('2.1'), max: mv('2.52'), codec: hypervisorListBody(HypervisorWithServersV21, false) }],
  statistics: [{ min: mv('2.1'), max: mv('2.87'), codec: HypervisorStatisticsExact }],
  'aggregates-index': [
    { min: mv('2.1'), max: mv('2.40'), codec: t.type({ aggregates: t.array(AggregateV21) }) },
    { min: mv('2.41'), codec: t.type({ aggregates: t.array(AggregateV241) }) },
  ],
  'aggregates-show': [
    { min: mv('2.1'), max: mv('2.40'), codec: t.type({ aggregate: AggregateV21 }) },
    { min: mv('2.41'), codec: t.type({ aggregate: AggregateV241 }) },
  ],
};

import { attendanceProjection } from '#attendance';
import { auditProjection } from '#audit';
import { deliveryProjection } from '#delivery';
import { inventoryProjection } from '#inventory';
import type { Projection } from '#projections';
import { ticketsProjection } from '#tickets';

/** Every read model the service runs (the API in-process, the CLI for rebuilds). */
export const PROJECTIONS: readonly Projection[] = [
  ticketsProjection,
  attendanceProjection,
  deliveryProjection,
  inventoryProjection,
  auditProjection,
];

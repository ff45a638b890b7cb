import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ApiRole } from '#configuration';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';

/** reader < auditor < admin: each role may do what the roles before it may. */
const RANK: Record<ApiRole, number> = { reader: 1, auditor: 2, admin: 3 };

export function roleAllows(held: ApiRole, required: ApiRole): boolean {
  return RANK[held] >= RANK[required];
}

export const REQUIRED_ROLE = 'ticket-ledger:required-role';
export const PUBLIC_ROUTE = 'ticket-ledger:public-route';

/**
 * The smallest role a route (or every route of a controller) needs, enforced by the
 * API-key guard and stated in the OpenAPI document (`x-required-role`).
 */
export function RequiresRole(role: ApiRole) {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiBearerAuth(),
    ApiExtension('x-required-role', role),
    ApiUnauthorizedResponse({
      type: ProblemDetailsDto,
      description: 'No API key, or an unknown one',
    }),
    ApiForbiddenResponse({
      type: ProblemDetailsDto,
      description: `The key's role is below ${role}`,
    }),
  );
}

/** Routes open without an API key: webhooks (they use provider authentication) and operations. */
export function PublicRoute(reason: string) {
  return applyDecorators(
    SetMetadata(PUBLIC_ROUTE, reason),
    ApiExtension('x-required-role', 'none'),
  );
}

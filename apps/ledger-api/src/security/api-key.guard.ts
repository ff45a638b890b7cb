import { createHash } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRole, LedgerConfiguration } from '#configuration';
import { CONFIGURATION } from '../configuration.token.js';
import { problem } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { PUBLIC_ROUTE, REQUIRED_ROLE, roleAllows } from './roles.js';

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * API keys with roles (api.md, "Roles"): `Authorization: Bearer <key>`; 401 without a
 * key or with an unknown one, 403 when its role is too small. Keys are looked up by
 * their SHA-256, so the lookup's timing says nothing about a key's bytes. Routes name
 * their role with @RequiresRole; a route that names none needs `admin`. With no
 * API_KEYS configured the API is open (development only; warned at start).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly roles: ReadonlyMap<string, ApiRole> | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIGURATION) configuration: LedgerConfiguration,
  ) {
    this.roles =
      configuration.apiKeys &&
      new Map([...configuration.apiKeys].map(([key, role]) => [digest(key), role]));
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<string | undefined>(PUBLIC_ROUTE, targets)) return true;
    if (!this.roles) return true;
    const required =
      this.reflector.getAllAndOverride<ApiRole | undefined>(REQUIRED_ROLE, targets) ?? 'admin';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = bearerToken(request.headers.authorization);
    const role = key === undefined ? undefined : this.roles.get(digest(key));
    if (!role) {
      void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
      throw new ProblemException(
        problem(
          401,
          'Unauthorized',
          key === undefined
            ? 'Send an API key as Authorization: Bearer <key>.'
            : 'The API key is not known.',
        ),
      );
    }
    if (!roleAllows(role, required)) {
      throw new ProblemException(
        problem(403, 'Forbidden', `This route needs the ${required} role; the key has ${role}.`),
      );
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

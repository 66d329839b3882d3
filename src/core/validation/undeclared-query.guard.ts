import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import { isPublicRoute } from '../auth/decorators';
import type { FieldErrors } from '../errors/api-error';
import { refusal } from './input-validation.pipe';

const QUERY_ARGUMENT = `${RouteParamtypes.QUERY}:`;

/**
 * A query parameter on a route without `@Query()` is refused like an unknown field; not on public
 * routes, where probes add cache-busting ones and a 400 would take a replica out.
 */
@Injectable()
export class UndeclaredQueryGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { query, routeOptions } = context.switchToHttp().getRequest<FastifyRequest>();
    const names = Object.keys(query as object);
    if (names.length === 0 || isPublicRoute(routeOptions.config)) return true;
    const handler = context.getHandler().name;
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler) as object;
    if (Object.keys(args ?? {}).some((key) => key.startsWith(QUERY_ARGUMENT))) return true;
    throw refusal(Object.create(null) as FieldErrors, names);
  }
}

import { Controller, Get, Inject, Param, Query as QueryParameter, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isProvider } from '#ledger';
import type { DiscrepancyFilter } from '#projections';
import type { ReadModels } from '#read-models';
import { problem } from '../http/problem-details.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { notFound, positionParameter, readPosition } from './read-consistency.js';
import { ReconciledRead } from './reconciled-read.queries.js';
import { SerializedAnswers } from './serialized-answers.js';
import { READ_MODELS } from './read-models.tokens.js';
import {
  AttendanceDto,
  CopeDeliveryDto,
  CopeInventoryDto,
  DiscrepancyPageDto,
  IngresseInventoryDto,
  LtdDeliveryDto,
  LtdInventoryDto,
  TicketDto,
} from './reconciled-read.dto.js';
import { RequiresRole } from '../security/roles.js';

const MIN_POSITION = {
  name: 'minPosition',
  required: false,
  description: 'Wait (up to 5 s, then 503) until the read model reached this log position',
};

/**
 * Reconciled reads (api.md): every answer carries `asOfPosition`, the log position
 * its read model(s) had reached; `?minPosition=` waits for a position first.
 */
@ApiTags('Reconciled reads')
@RequiresRole('reader')
@Controller()
export class ReconciledReadsController {
  private readonly serialized = new SerializedAnswers();

  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
  ) {}

  @Get('attendance/cope/:eventId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: AttendanceDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async attendance(
    @Param('eventId') eventId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @QueryParameter('minPosition') minPosition?: string,
  ): Promise<string> {
    const query = ReconciledRead.attendance(eventId);
    const asOfPosition = await readPosition(this.readModels, query.projections, minPosition);
    const found = await this.queries.execute(query);
    if (!found) throw notFound(`COPE event ${eventId}`);
    // The body as Fastify would serialise it, made once per read-model state.
    void reply.type('application/json; charset=utf-8');
    return this.serialized.json(found, asOfPosition);
  }

  @Get('tickets/:ticketId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: TicketDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  ticket(@Param('ticketId') ticketId: string, @QueryParameter('minPosition') minPosition?: string) {
    return this.answer(ReconciledRead.ticket(ticketId), minPosition, `Ticket ${ticketId}`);
  }

  @Get('deliveries/cope/:ticketId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: CopeDeliveryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  copeDelivery(
    @Param('ticketId') ticketId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    return this.answer(
      ReconciledRead.copeDelivery(ticketId),
      minPosition,
      `COPE ticket ${ticketId}`,
    );
  }

  @Get('deliveries/ltd/:bookingReference')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: LtdDeliveryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  ltdDelivery(
    @Param('bookingReference') bookingReference: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    return this.answer(
      ReconciledRead.ltdDelivery(bookingReference),
      minPosition,
      `LTD booking ${bookingReference}`,
    );
  }

  @Get('inventory/cope/:eventId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: CopeInventoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  copeInventory(
    @Param('eventId') eventId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    return this.answer(ReconciledRead.copeInventory(eventId), minPosition, `COPE event ${eventId}`);
  }

  @Get('inventory/ltd/:performanceId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: LtdInventoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  ltdInventory(
    @Param('performanceId') performanceId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    const what = `LTD performance ${performanceId}`;
    const id = integerId(performanceId);
    if (id === undefined) return this.unknown(minPosition, what);
    return this.answer(ReconciledRead.ltdInventory(id), minPosition, what);
  }

  @Get('inventory/ingresse/:eventId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: IngresseInventoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  ingresseInventory(
    @Param('eventId') eventId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    const what = `Ingresse event ${eventId}`;
    const id = integerId(eventId);
    if (id === undefined) return this.unknown(minPosition, what);
    return this.answer(ReconciledRead.ingresseInventory(id), minPosition, what);
  }

  @Get('discrepancies')
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'provider', required: false, enum: ['cope', 'ltd', 'ingresse'] })
  @ApiQuery({ name: 'eventId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'The `next` cursor of the previous page',
  })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: DiscrepancyPageDto })
  async discrepancies(
    @QueryParameter('type') type?: string,
    @QueryParameter('provider') provider?: string,
    @QueryParameter('eventId') eventId?: string,
    @QueryParameter('limit') limit?: string,
    @QueryParameter('after') after?: string,
    @QueryParameter('minPosition') minPosition?: string,
  ) {
    if (provider !== undefined && !isProvider(provider)) {
      throw badParameter('provider', 'must be cope, ltd or ingresse');
    }
    if (type !== undefined && !/^[a-z_]{1,64}$/.test(type)) {
      throw badParameter('type', 'must be a discrepancy type such as unknown_ticket');
    }
    const filter: DiscrepancyFilter = {
      limit: pageLimit(limit),
      ...(type !== undefined ? { type } : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(eventId !== undefined ? { eventId } : {}),
      ...(after !== undefined ? { after } : {}),
    };
    const query = ReconciledRead.discrepancies(filter);
    const asOfPosition = await readPosition(this.readModels, query.projections, minPosition);
    return { ...(await this.queries.execute(query)), asOfPosition };
  }

  private async answer<T extends object>(
    query: ReconciledRead<T | undefined>,
    minPosition: string | undefined,
    what: string,
  ): Promise<T & { asOfPosition: number }> {
    const asOfPosition = await readPosition(this.readModels, query.projections, minPosition);
    const found = await this.queries.execute(query);
    if (!found) throw notFound(what);
    return { ...found, asOfPosition };
  }

  /**
   * An id no fact can mention: still 404 like any unknown id (reconciliation.md), but a
   * bad `minPosition` keeps its 400, as it would with a well-formed id.
   */
  private unknown(minPosition: string | undefined, what: string): never {
    positionParameter('minPosition', minPosition);
    throw notFound(what);
  }
}

/** A 400 naming the query parameter (`/query/<name>` in `errors`). */
function badParameter(name: string, message: string): ProblemException {
  return new ProblemException(
    problem(400, 'Bad request', `${name} ${message}.`, {
      errors: [{ pointer: `/query/${name}`, message }],
    }),
  );
}

/**
 * LTD performance and Ingresse event ids are safe integers in every accepted fact, so a
 * path id that is not one names nothing: undefined, answered 404 as any unknown id
 * (api.md: 400 is for bad query parameters only).
 */
function integerId(raw: string): number | undefined {
  if (!/^-?\d{1,16}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

function pageLimit(raw: string | undefined): number {
  if (raw === undefined) return 100;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
    throw badParameter('limit', 'must be an integer from 1 to 1000');
  }
  return Number(raw);
}

import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Query as QueryParameter, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuditEvent } from '#audit';
import type { ReadModels } from '#read-models';
import { receivedBytes } from '#webhook-intake';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { notFound, readPosition } from '../read-models/read-consistency.js';
import { READ_MODELS } from '../read-models/read-models.tokens.js';
import { QueryParameters } from './audit-parameters.js';
import { AuditRead } from './audit-read.queries.js';
import {
  CheckpointPageDto,
  IntegrityReportDto,
  LogPageDto,
  ParkedPageDto,
  ReceiptDto,
  StreamHistoryDto,
  TicketHistoryDto,
} from './audit.dto.js';
import { RequiresRole } from '../security/roles.js';

const AUDIT_PROJECTIONS = ['audit'];
const LIMIT = { name: 'limit', required: false, description: '1–1000, default 100' };
const MIN_POSITION = {
  name: 'minPosition',
  required: false,
  description: 'Wait (up to 5 s, then 503) until the audit read model reached this log position',
};

/**
 * The audit routes (api.md, "Audit"): what was received, when, and what the ledger
 * concluded — every event as stored, never upcast — and the integrity check. All
 * under `/audit`, in this one controller, so one role guard covers them.
 */
@ApiTags('Audit')
@RequiresRole('auditor')
@ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'A bad query parameter' })
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
  ) {}

  @Get('streams/:streamId')
  @ApiQuery({ name: 'fromRevision', required: false, description: 'Inclusive; default 0' })
  @ApiQuery(LIMIT)
  @ApiOkResponse({ type: StreamHistoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async stream(
    @Param('streamId') streamId: string,
    @QueryParameter('fromRevision') fromRevision?: string,
    @QueryParameter('limit') limit?: string,
  ): Promise<StreamHistoryDto> {
    const parameters = new QueryParameters();
    const page = {
      fromRevision: parameters.position('fromRevision', fromRevision) ?? 0,
      limit: parameters.limit(limit),
    };
    parameters.check();
    const history = await this.queries.execute(AuditRead.stream(streamId, page));
    if (!history) throw notFound(`Stream ${streamId}`);
    return history;
  }

  @Get('log')
  @ApiQuery({ name: 'afterPosition', required: false, description: 'Exclusive; default 0' })
  @ApiQuery(LIMIT)
  @ApiQuery({
    name: 'type',
    required: false,
    description:
      'Only events of this type. Pages of the log are read until `limit` matches or the end: a rare type costs a scan of the log after `afterPosition`.',
  })
  @ApiOkResponse({ type: LogPageDto })
  async log(
    @QueryParameter('afterPosition') afterPosition?: string,
    @QueryParameter('limit') limit?: string,
    @QueryParameter('type') type?: string,
  ): Promise<LogPageDto> {
    const parameters = new QueryParameters();
    const after = parameters.position('afterPosition', afterPosition) ?? 0;
    const pageLimit = parameters.limit(limit);
    const eventType = parameters.eventType(type);
    parameters.check();
    return this.queries.execute(
      AuditRead.log({
        afterPosition: after,
        limit: pageLimit,
        ...(eventType === undefined ? {} : { type: eventType }),
      }),
    );
  }

  @Get('tickets/:ticketId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: TicketHistoryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async ticket(
    @Param('ticketId') ticketId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ): Promise<TicketHistoryDto> {
    const asOfPosition = await readPosition(this.readModels, AUDIT_PROJECTIONS, minPosition);
    const history = await this.queries.execute(AuditRead.ticket(ticketId));
    if (!history) throw notFound(`Ticket ${ticketId}`);
    return { ...history, asOfPosition };
  }

  @Get('receipts/:receiptId')
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ type: ReceiptDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async receipt(
    @Param('receiptId') receiptId: string,
    @QueryParameter('minPosition') minPosition?: string,
  ): Promise<ReceiptDto> {
    const asOfPosition = await readPosition(this.readModels, AUDIT_PROJECTIONS, minPosition);
    const receipt = await this.queries.execute(AuditRead.receipt(receiptId));
    if (!receipt) throw notFound(`Receipt ${receiptId}`);
    return { ...receipt, asOfPosition } as ReceiptDto;
  }

  /** The bytes as received, as a download (never rendered: any stored content type could be HTML). */
  @Get('receipts/:receiptId/raw')
  @ApiQuery(MIN_POSITION)
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'The body byte for byte',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async rawBody(
    @Param('receiptId') receiptId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @QueryParameter('minPosition') minPosition?: string,
  ): Promise<Buffer> {
    await readPosition(this.readModels, AUDIT_PROJECTIONS, minPosition);
    const receipt = await this.queries.execute(AuditRead.receipt(receiptId));
    if (!receipt) throw notFound(`Receipt ${receiptId}`);
    void reply
      .header('content-type', 'application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-disposition',
        `attachment; filename="${receiptId.replace(/[^\w.-]/g, '_')}.body"`,
      )
      .header('x-body-sha256', receipt.sha256);
    return receivedBytes(receipt);
  }

  @Get('parked')
  @ApiQuery({ name: 'provider', required: false, enum: ['cope', 'ltd', 'ingresse'] })
  @ApiQuery({
    name: 'reason',
    required: false,
    enum: ['unsupported_type', 'unsupported_version', 'contract_violation'],
  })
  @ApiQuery(LIMIT)
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'The `next` cursor of the previous page',
  })
  @ApiOkResponse({ type: ParkedPageDto })
  async parked(
    @QueryParameter('provider') provider?: string,
    @QueryParameter('reason') reason?: string,
    @QueryParameter('limit') limit?: string,
    @QueryParameter('after') after?: string,
  ): Promise<ParkedPageDto> {
    const parameters = new QueryParameters();
    const filter = {
      provider: parameters.provider(provider),
      reason: parameters.parkReason(reason),
      limit: parameters.limit(limit),
      after: parameters.position('after', after),
    };
    parameters.check();
    return this.queries.execute(
      AuditRead.parked({
        limit: filter.limit,
        ...(filter.provider ? { provider: filter.provider } : {}),
        ...(filter.reason ? { reason: filter.reason } : {}),
        ...(filter.after === undefined ? {} : { after: filter.after }),
      }),
    ) as Promise<ParkedPageDto>;
  }

  /**
   * The log as NDJSON, one event per line in position order, streamed: each page of
   * the store is written before the next is read, at the pace the client reads.
   */
  @Get('export')
  @ApiQuery({ name: 'fromPosition', required: false, description: 'Inclusive; default the start' })
  @ApiQuery({ name: 'toPosition', required: false, description: 'Inclusive; default the head' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'One event per line, shaped as the events of /audit/log',
    schema: { type: 'string' },
  })
  async export(
    @Res() reply: FastifyReply,
    @QueryParameter('fromPosition') fromPosition?: string,
    @QueryParameter('toPosition') toPosition?: string,
  ): Promise<void> {
    const parameters = new QueryParameters();
    const from = parameters.position('fromPosition', fromPosition) ?? 0;
    const to = parameters.position('toPosition', toPosition);
    if (to !== undefined && to < from)
      parameters.fail('toPosition', 'must not be below fromPosition');
    parameters.check();
    const pages = await this.queries.execute(
      AuditRead.export({ fromPosition: from, ...(to === undefined ? {} : { toPosition: to }) }),
    );
    void reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .send(Readable.from(ndjson(pages), { objectMode: false }));
  }

  @Get('verify')
  @ApiQuery({ name: 'streamId', required: false, description: 'Check this stream only' })
  @ApiOkResponse({ type: IntegrityReportDto })
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description: 'streamId names a stream that neither exists nor was checkpointed',
  })
  async verify(@QueryParameter('streamId') streamId?: string): Promise<IntegrityReportDto> {
    const report = await this.queries.execute(AuditRead.verify(streamId || undefined));
    if (streamId && report.streamsChecked === 0) throw notFound(`Stream ${streamId}`);
    return report as IntegrityReportDto;
  }

  @Get('checkpoints')
  @ApiQuery(LIMIT)
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'The `next` cursor of the previous page',
  })
  @ApiOkResponse({ type: CheckpointPageDto })
  async checkpoints(
    @QueryParameter('limit') limit?: string,
    @QueryParameter('after') after?: string,
  ): Promise<CheckpointPageDto> {
    const parameters = new QueryParameters();
    const page = { limit: parameters.limit(limit), after: parameters.position('after', after) };
    parameters.check();
    return this.queries.execute(
      AuditRead.checkpoints({
        limit: page.limit,
        ...(page.after === undefined ? {} : { after: page.after }),
      }),
    );
  }
}

/** One string per page of events: JSON lines. */
async function* ndjson(pages: AsyncIterable<AuditEvent[]>): AsyncGenerator<string> {
  for await (const page of pages) {
    let lines = '';
    for (const event of page) lines += `${JSON.stringify(event)}\n`;
    yield lines;
  }
}

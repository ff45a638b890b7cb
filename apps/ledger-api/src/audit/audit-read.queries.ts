import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type {
  AuditEvent,
  AuditQueries,
  CheckpointPage,
  IntegrityReport,
  LogPage,
  ParkedFilter,
  ParkedPage,
  ReceiptAnswer,
  StreamHistory,
  TicketHistory,
} from '#audit';
import { AUDIT_QUERIES } from './audit.tokens.js';

/** An audit read (api.md, "Audit"): what it asks of the audit queries. */
export class AuditRead<T> extends Query<T> {
  constructor(readonly read: (queries: AuditQueries) => Promise<T>) {
    super();
  }

  static stream(
    streamId: string,
    page: { fromRevision: number; limit: number },
  ): AuditRead<StreamHistory | undefined> {
    return new AuditRead((queries) => queries.stream(streamId, page));
  }

  static log(page: { afterPosition: number; limit: number; type?: string }): AuditRead<LogPage> {
    return new AuditRead((queries) => queries.log(page));
  }

  static ticket(ticketId: string): AuditRead<TicketHistory | undefined> {
    return new AuditRead((queries) => queries.ticket(ticketId));
  }

  static receipt(receiptId: string): AuditRead<ReceiptAnswer | undefined> {
    return new AuditRead((queries) => queries.receipt(receiptId));
  }

  static parked(filter: ParkedFilter): AuditRead<ParkedPage> {
    return new AuditRead((queries) => queries.parked(filter));
  }

  static checkpoints(page: { after?: number; limit: number }): AuditRead<CheckpointPage> {
    return new AuditRead((queries) => queries.checkpoints(page));
  }

  static verify(streamId: string | undefined): AuditRead<IntegrityReport> {
    return new AuditRead((queries) => queries.verify(streamId === undefined ? {} : { streamId }));
  }

  /** The pages of an export, read one at a time as the caller iterates. */
  static export(range: {
    fromPosition: number;
    toPosition?: number;
  }): AuditRead<AsyncGenerator<AuditEvent[]>> {
    return new AuditRead((queries) => Promise.resolve(queries.export(range)));
  }
}

@QueryHandler(AuditRead)
export class AuditReadHandler implements IQueryHandler<AuditRead<unknown>> {
  constructor(@Inject(AUDIT_QUERIES) private readonly queries: AuditQueries) {}

  execute(query: AuditRead<unknown>): Promise<unknown> {
    return query.read(this.queries);
  }
}

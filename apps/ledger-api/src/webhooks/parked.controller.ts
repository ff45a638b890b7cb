import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { ReprocessedDeliveryDto } from './webhook-answers.dto.js';
import { problem } from '../http/problem-details.js';
import { ProblemException } from '../http/problem-details.filter.js';
import { ReprocessParkedCommand } from './reprocess-parked.command.js';
import { RequiresRole } from '../security/roles.js';

@ApiTags('Admin')
@RequiresRole('admin')
@Controller('admin/parked')
export class ParkedController {
  constructor(private readonly commands: CommandBus) {}

  /**
   * Runs a parked delivery again through the normal path and answers its outcome:
   * `accepted` (with the new receipt), `duplicate`, or still `parked` (with why).
   */
  @Post(':receiptId/reprocess')
  @HttpCode(200)
  @ApiOkResponse({ type: ReprocessedDeliveryDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async reprocess(@Param('receiptId') receiptId: string): Promise<object> {
    const result = await this.commands.execute(new ReprocessParkedCommand(receiptId));
    if (!result) {
      throw new ProblemException(
        problem(404, 'Not found', `No parked delivery has receipt ${receiptId}.`),
      );
    }
    const { kind, ...outcome } = result;
    if (kind === 'rejected') {
      throw new ProblemException(problem(result.status, result.title, result.detail));
    }
    return { parkedReceiptId: receiptId, status: kind, ...outcome };
  }
}

import { Field, Int, ObjectType } from 'type-graphql';
import { CustomerAlert } from '../../entities';
import type { AlertFilterValues, AlertPage } from '../../src/services/alert.service';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'A page of alerts, newest first.' })
export class AlertConnection implements AlertPage {
  @Field(() => Int, { description: 'Alerts matching the filter, over all pages.' })
  totalCount!: number;

  @Field(() => [CustomerAlert])
  nodes!: CustomerAlert[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  filter!: AlertFilterValues;
}

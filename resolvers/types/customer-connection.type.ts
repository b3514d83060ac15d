import { Field, Int, ObjectType } from 'type-graphql';
import { UnifiedCustomer } from '../../entities';
import type { CustomerFilterValues, CustomerPage } from '../../src/services/customer.service';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'A page of customers.' })
export class CustomerConnection implements CustomerPage {
  @Field(() => Int, { description: 'Customers matching the filter, over all pages.' })
  totalCount!: number;

  @Field(() => [UnifiedCustomer])
  nodes!: UnifiedCustomer[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  filter!: CustomerFilterValues;
}

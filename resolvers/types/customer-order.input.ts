import { Field, InputType, registerEnumType } from 'type-graphql';
import type { CustomerOrderValues } from '../../src/services/customer.service';

export enum CustomerOrderField {
  EMAIL = 'EMAIL',
  SHOW_RATE = 'SHOW_RATE',
  HEALTH_POINTS = 'HEALTH_POINTS',
  NEXT_CALL_DATE = 'NEXT_CALL_DATE',
  LAST_CALL_DATE = 'LAST_CALL_DATE',
  TOTAL_CALLS_BOOKED = 'TOTAL_CALLS_BOOKED',
}
registerEnumType(CustomerOrderField, { name: 'CustomerOrderField', description: 'What customers can be sorted by.' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType({ description: 'Sort order; empty values come last and ties are broken by email in the same direction.' })
export class CustomerOrder implements CustomerOrderValues {
  @Field(() => CustomerOrderField)
  field!: CustomerOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

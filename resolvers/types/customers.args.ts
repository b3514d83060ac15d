import { IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { CustomerFilter } from './customer-filter.input';
import { CustomerOrder } from './customer-order.input';

@ArgsType()
export class CustomersArgs {
  @Field(() => CustomerFilter, { nullable: true })
  @IsOptional() @ValidateNested()
  filter?: CustomerFilter;

  @Field(() => CustomerOrder, { nullable: true, description: 'Defaults to email ascending.' })
  orderBy?: CustomerOrder;

  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size; at most 500 (larger values are cut to 500).' })
  @Min(0) @Max(100_000)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional() @MaxLength(2000)
  after?: string;
}

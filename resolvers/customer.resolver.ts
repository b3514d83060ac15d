import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { CustomerAlert, UnifiedCustomer } from '../entities';
import type { AppContext } from './request.context';
import { CustomerService } from '../src/services/customer.service';
import { CustomerConnection, CustomersArgs } from './types';

@Resolver(() => UnifiedCustomer)
export class CustomerResolver {
  constructor(private readonly customerService: CustomerService) {}

  @Query(() => UnifiedCustomer, { nullable: true, description: 'A customer by email (case-insensitive); null when unknown.' })
  customer(@Arg('email', () => String) email: string): Promise<UnifiedCustomer | null> {
    return this.customerService.findByEmail(email);
  }

  @Query(() => CustomerConnection, { description: 'Customers, filtered, sorted and paginated by cursor.' })
  customers(@Args(() => CustomersArgs) args: CustomersArgs): Promise<CustomerConnection> {
    return this.customerService.list(args) as Promise<CustomerConnection>;
  }

  // Batched per request: one query for the alerts of every customer on the page.
  @FieldResolver(() => [CustomerAlert], { complexity: ({ childComplexity }) => 5 + 5 * childComplexity })
  alerts(
    @Root() customer: UnifiedCustomer,
    @Arg('openOnly', () => Boolean, { nullable: true, defaultValue: true }) openOnly: boolean | null,
    @Ctx() context: AppContext,
  ): Promise<CustomerAlert[]> {
    return context.loaders.customerAlerts(openOnly ?? true).load(customer.email);
  }
}

@Resolver(() => CustomerConnection)
export class CustomerConnectionResolver {
  constructor(private readonly customerService: CustomerService) {}

  // Counted only when asked for: a count over 200k rows is the costliest part of a page.
  @FieldResolver(() => Int)
  totalCount(@Root() page: CustomerConnection): Promise<number> {
    return this.customerService.count(page.filter);
  }
}

import { Args, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { AlertService } from '../src/services/alert.service';
import { AlertConnection, AlertsArgs } from './types';

@Resolver(() => AlertConnection)
export class AlertResolver {
  constructor(private readonly alertService: AlertService) {}

  @Query(() => AlertConnection, { description: 'Alerts, newest first: open ones by default, optionally of one type.' })
  alerts(@Args(() => AlertsArgs) args: AlertsArgs): Promise<AlertConnection> {
    return this.alertService.list(args) as Promise<AlertConnection>;
  }

  @FieldResolver(() => Int)
  totalCount(@Root() page: AlertConnection): Promise<number> {
    return this.alertService.count(page.filter);
  }
}

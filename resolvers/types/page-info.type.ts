import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page ends; pass endCursor as `after` for the next one.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

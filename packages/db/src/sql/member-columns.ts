import { members } from '../schema.ts';

/** A member as the API shows it. */
export const MEMBER_COLUMNS = {
  id: members.id,
  name: members.name,
  points: members.points,
  heldPoints: members.heldPoints,
  age: members.age,
  gender: members.gender,
};

export type MemberRow = Pick<typeof members.$inferSelect, 'id' | 'name' | 'points' | 'heldPoints' | 'age' | 'gender'>;

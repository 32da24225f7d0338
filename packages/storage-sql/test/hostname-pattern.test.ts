import { describe, expect, it } from 'vitest';
import { likeContaining } from '../src/queries/hostname-pattern.js';

describe('likeContaining', () => {
  it.each([
    ['hyper', '%hyper%'],
    ['HyPer', '%hyper%'],
    ['a_b', '%a!_b%'],
    ['50%', '%50!%%'],
    ['wow!', '%wow!!%'],
    ['back\\slash', '%back\\slash%'],
    ['\u00dcBER', '%\u00dcber%'],
  ])('%j -> %j', (pattern, like) => {
    expect(likeContaining(pattern)).toBe(like);
  });
});

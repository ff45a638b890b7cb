import { jsonArrayElements } from './json-array-elements.js';

describe('jsonArrayElements', () => {
  it('returns each element byte for byte, whitespace around it trimmed', () => {
    const raw = Buffer.from('[ {"a":[1,2,{"b":"]}"}]} ,\n{"c":"x\\"y,"}\t, 3 , "s", null,[[]] ]');

    expect(jsonArrayElements(raw).map((element) => element.toString())).toEqual([
      '{"a":[1,2,{"b":"]}"}]}',
      '{"c":"x\\"y,"}',
      '3',
      '"s"',
      'null',
      '[[]]',
    ]);
  });

  it('gives each element bytes that parse to the element JSON.parse sees', () => {
    const batch = [{ id: '1', data: { emoji: '🎭', nested: [{ x: '}' }] } }, { id: '2' }];
    const raw = Buffer.from(JSON.stringify(batch, null, 2));

    expect(
      jsonArrayElements(raw).map((element) => JSON.parse(element.toString()) as unknown),
    ).toEqual(batch);
  });

  it('returns nothing for an empty array', () => {
    expect(jsonArrayElements(Buffer.from(' [ ] '))).toEqual([]);
  });
});

/**
 * Every arrival order of a few deliveries (n! of them: keep n small), to check that an
 * outcome is a function of the set of facts and not of the order they came in.
 */
export function permutations<Item>(items: readonly Item[]): Item[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

/**
 * The offers an `Accept` header accepts, best first (webob `acceptable_offers`): each offer takes the
 * quality of the most specific matching range; q=0 excludes it; ties keep the offers' order.
 * No header (or an empty one) accepts nothing, which webob's error pages answer as text/plain.
 */
export const acceptableOffers = (accept: string | undefined, offers: ReadonlyArray<string>): string[] => {
  if (accept === undefined || accept.trim() === '') return [];
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().split(';').map((s) => s.trim());
    const q = params.find((p) => p.toLowerCase().startsWith('q='));
    return { type: type.toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)) };
  });
  const specificity = (range: string, offer: string): number => {
    if (range === offer) return 3;
    if (range === '*/*') return 1;
    return range.endsWith('/*') && offer.startsWith(range.slice(0, -1)) ? 2 : 0;
  };
  return offers
    .map((offer, index) => {
      let best = { s: 0, q: 0 };
      for (const r of ranges) {
        const s = specificity(r.type, offer);
        if (s > best.s) best = { s, q: Number.isFinite(r.q) ? r.q : 0 };
      }
      return { offer, index, q: best.q };
    })
    .filter((o) => o.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((o) => o.offer);
};

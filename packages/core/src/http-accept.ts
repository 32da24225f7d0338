/**
 * webob's `Accept` (webob/acceptparse.py, RFC 7231 §5.3.2) for offers without parameters, as webob's own
 * error pages use it. A header that breaks the grammar accepts every offer; a missing or empty one
 * accepts none. Parameters before `q` belong to the media type: a range that has them matches no
 * parameterless offer by its exact type (`application/json;version=2` does not accept
 * `application/json`), though `*\/*;a=b` and `type/*;a=b` still do.
 */

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"';
const OWS = '[ \\t]*';
const PARAMETER = `${TOKEN}=(?:${TOKEN}|${QUOTED})`;
const MEDIA_RANGE = `(${TOKEN}/${TOKEN})((?:${OWS};${OWS}(?![qQ]=)${PARAMETER})*)`;
const WEIGHT = `${OWS};${OWS}[qQ]=(0(?:\\.[0-9]{0,3})?|1(?:\\.0{0,3})?)`;
const EXTENSION = `${OWS};${OWS}${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?`;
const ELEMENT = `${MEDIA_RANGE}(?:${WEIGHT}(?:${EXTENSION})*)?`;
/** RFC 7230's `#element` list: empty elements allowed. */
const VALID_HEADER = new RegExp(`^(?:$|(?:,|${ELEMENT})(?:${OWS},(?:${OWS}${ELEMENT})?)*$)`);
const ELEMENTS = new RegExp(ELEMENT, 'g');

interface Range {
  readonly type: string;
  readonly q: number;
  readonly hasParams: boolean;
}

const parseRanges = (accept: string): Range[] | 'invalid' => {
  if (!VALID_HEADER.test(accept)) return 'invalid';
  return [...accept.matchAll(ELEMENTS)].map((m) => ({ type: m[1]!.toLowerCase(), hasParams: m[2] !== '', q: m[3] === undefined ? 1 : Number(m[3]) }));
};

/** How specifically a range names an offer (RFC 7231's precedence), 0 when it does not match it. */
const specificity = (range: Range, offer: string): number => {
  if (range.type === offer) return range.hasParams ? 0 : 3;
  const [type, subtype] = range.type.split('/') as [string, string];
  if (subtype === '*' && offer.startsWith(`${type}/`)) return 2;
  return range.type === '*/*' ? 1 : 0;
};

/**
 * `acceptable_offers`: the offers (lower-case, without parameters) the header accepts, best first; each
 * takes the quality of the first most specific range that matches it; q=0 excludes; ties keep the
 * offers' order.
 */
export const acceptableOffers = (accept: string | undefined, offers: ReadonlyArray<string>): string[] => {
  const ranges = parseRanges(accept ?? '');
  if (ranges === 'invalid') return [...offers];
  return offers
    .map((offer, index) => {
      let best = { s: 0, q: 0 };
      for (const r of ranges) {
        const s = specificity(r, offer);
        if (s > best.s) best = { s, q: r.q };
      }
      return { offer, index, q: best.q };
    })
    .filter((o) => o.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((o) => o.offer);
};

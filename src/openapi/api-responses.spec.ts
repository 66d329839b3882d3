import { API_ROUTE_ERRORS, BODY_ERRORS, mergeErrors } from './api-responses';

describe('mergeErrors', () => {
  it('unions codes per status, without duplicates, keeping first-seen order', () => {
    expect(
      mergeErrors(BODY_ERRORS, { 400: ['INVALID_UUID', 'MALFORMED_JSON'], 404: ['NOT_FOUND'] }),
    ).toEqual({
      400: ['VALIDATION_ERROR', 'MALFORMED_JSON', 'INVALID_UUID'],
      404: ['NOT_FOUND'],
      413: ['PAYLOAD_TOO_LARGE'],
      415: ['UNSUPPORTED_MEDIA_TYPE'],
    });
    expect(mergeErrors()).toEqual({});
    expect(mergeErrors(API_ROUTE_ERRORS)).toEqual(API_ROUTE_ERRORS);
  });
});

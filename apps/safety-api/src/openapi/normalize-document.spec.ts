import type { OpenAPIObject } from '@nestjs/swagger';
import { normalizeDocument } from './normalize-document';

const base = (): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/a': { get: { tags: ['budget'], responses: {} } },
    '/b': { post: { tags: ['zeta', 'health'], responses: {} } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          bare: { allOf: [{ $ref: '#/components/schemas/State' }] },
          described: { description: 'kept', allOf: [{ $ref: '#/components/schemas/State' }] },
          list: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/State' }] } },
          pair: { allOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] },
        },
      },
    },
  },
});

describe('normalizeDocument', () => {
  it('replaces a lone one-element allOf by its schema, and leaves meaningful compositions alone', () => {
    const properties = (normalizeDocument(base()).components?.schemas?.Thing as { properties: Record<string, unknown> })
      .properties;
    expect(properties.bare).toEqual({ $ref: '#/components/schemas/State' });
    expect(properties.described).toEqual({ description: 'kept', allOf: [{ $ref: '#/components/schemas/State' }] });
    expect(properties.list).toEqual({ type: 'array', items: { $ref: '#/components/schemas/State' } });
    expect((properties.pair as { allOf: unknown[] }).allOf).toHaveLength(2);
  });

  it('declares every used tag once, known ones with a description, in a stable order', () => {
    const tags = normalizeDocument(base()).tags ?? [];
    expect(tags.map((tag) => tag.name)).toEqual(['budget', 'health', 'zeta']);
    expect(tags[0].description).toEqual(expect.any(String));
    expect(tags[2].description).toBeUndefined();
  });
});

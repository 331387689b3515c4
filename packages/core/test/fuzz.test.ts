import { createCodeQrClient, isCodeQrError } from '@codeqr-integrations/core';
import { CreateQrCodeBody, CreateQrCodeRequest, QrCodeFields } from '@codeqr-integrations/core/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** A client whose transport records requests and answers a plausible QR code, so only validation decides. */
function recordingClient() {
  const sent: { method: string; url: string; body?: string }[] = [];
  const client = createCodeQrClient({
    apiKey: 'codeqr_fuzz_key',
    baseUrl: 'http://127.0.0.1:9',
    sleep: async () => {},
    transport: async (request) => {
      sent.push(request);
      if (request.method === 'GET') return { status: 200, headers: {}, body: '[]' };
      const body = request.body ? JSON.parse(request.body) : {};
      const now = new Date().toISOString();
      return {
        status: 200,
        headers: {},
        body: JSON.stringify({
          id: 'q1',
          domain: 'codeqr.link',
          key: 'k',
          type: 'url',
          url: null,
          createdAt: now,
          updatedAt: now,
          ...body,
        }),
      };
    },
  });
  return { client, sent };
}

const FIELDS = Object.keys(QrCodeFields.shape);
const anyValue = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.webUrl(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const input = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS), fc.string({ minLength: 1, maxLength: 12 })),
  anyValue,
  {
    maxKeys: 6,
  },
);

describe('input fuzzing', () => {
  it('any create input either goes out valid against the schema, or fails before the network naming its fields', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (raw) => {
        const { client, sent } = recordingClient();
        try {
          await client.qrcodes.create(raw as never);
          expect(sent).toHaveLength(1);
          const body = JSON.parse(sent[0]!.body!);
          expect(CreateQrCodeBody.safeParse(body).success).toBe(true);
          // and with the client's own checks (colours, content per type, shapes): what it sends, it checked
          expect(CreateQrCodeRequest.safeParse(body).success).toBe(true);
          expect(typeof body.type).toBe('string');
        } catch (error) {
          expect(isCodeQrError(error)).toBe(true);
          if (!isCodeQrError(error)) return;
          expect(error.code).toBe('validation_error');
          expect(sent).toHaveLength(0);
          expect(error.issues.length).toBeGreaterThan(0);
          const sentKeys = Object.keys(raw);
          for (const issue of error.issues) {
            // every issue names a field the caller sent (or a path inside one), or `url` (required for the url type)
            const named =
              issue.field === 'url' || sentKeys.some((k) => issue.field === k || issue.field.startsWith(`${k}.`));
            expect(named, `issue "${issue.field}" for input ${JSON.stringify(raw)}`).toBe(true);
            expect(error.message).toContain(issue.field);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('list filters: unknown or mistyped filters are rejected by name, never sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('search', 'pageSize', 'page', 'sort', 'scansMin', 'colour', 'tagIds'), anyValue, {
          minKeys: 1,
          maxKeys: 4,
        }),
        async (filters) => {
          const { client, sent } = recordingClient();
          const result = await Promise.resolve(client.qrcodes.list(filters as never)).then(
            () => 'ok',
            (e) => e,
          );
          if (result === 'ok') {
            expect(sent).toHaveLength(1);
            expect(sent[0]!.url).not.toContain('colour');
          } else {
            expect(result.code).toBe('validation_error');
            expect(sent).toHaveLength(0);
            for (const issue of result.issues) {
              expect(Object.keys(filters).some((k) => issue.field === k || issue.field.startsWith(`${k}.`))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

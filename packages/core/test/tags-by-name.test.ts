import { describe, expect, it } from 'vitest';
import { isCodeQrError } from '../src/errors.ts';
import { getOperation } from '../src/operations/index.ts';
import { useSandbox } from './support/sandbox.ts';

// Tags and folders by name against the sandbox, which (like CodeQR, after Dub's processLink) answers 422 for a tag
// name that does not exist and never creates tags implicitly.
const env = useSandbox({ key: 'codeqr_test_tags_by_name', seed: 17 });

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (isCodeQrError(error)) return error;
    throw error;
  }
  throw new Error('expected a CodeQrError');
}

describe('Create Missing Tags', () => {
  it('creates the missing tags first (once per name and client), then the QR code with them', async () => {
    const client = env.client();
    const create = getOperation('createQrCode');
    const first = await create.execute(client, { url: 'https://example.com/a', tagNames: 'Launch, Spring' });
    const second = await create.execute(client, { url: 'https://example.com/b', tagNames: ['launch'] });
    expect(env.hits('POST', '/tags')).toBe(2);
    const names = (await client.tags.list()).map((tag) => tag.name).sort();
    expect(names).toEqual(['Launch', 'Spring']);
    expect((first.tags ?? []).map((tag) => tag.name).sort()).toEqual(['Launch', 'Spring']);
    expect((second.tags ?? []).map((tag) => tag.name)).toEqual(['Launch']);
  });

  it('reuses a tag that exists under another case, creating nothing', async () => {
    const client = env.client();
    await client.tags.create({ name: 'Menu' });
    env.exchanges.length = 0;
    await getOperation('createQrCode').execute(client, { url: 'https://example.com/m', tagNames: 'MENU' });
    expect(env.hits('POST', '/tags')).toBe(0);
  });

  it("off, leaves a missing tag to CodeQR's 422, and creates nothing", async () => {
    const client = env.client();
    const error = await failure(() =>
      getOperation('createQrCode').execute(client, {
        url: 'https://example.com/x',
        tagNames: 'Nope',
        createMissingTags: false,
      }),
    );
    expect(error.status).toBe(422);
    expect(env.hits('POST', '/tags')).toBe(0);
  });

  it('works for bulk create and bulk upsert, one lookup per distinct name', async () => {
    const client = env.client();
    const results = await getOperation('bulkCreateQrCodes').execute(client, {
      items: [
        { url: 'https://example.com/1', tagNames: 'Bulk' },
        { url: 'https://example.com/2', tagNames: ['bulk', 'Other'] },
      ],
    });
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect(env.hits('POST', '/tags')).toBe(2);
    const upserted = await getOperation('upsertQrCodes').execute(client, {
      items: [{ url: 'https://example.com/3', externalId: 'u-3', tagNames: 'Third' }],
    });
    expect(upserted.map((result) => result.ok)).toEqual([true]);
    expect(env.hits('POST', '/tags')).toBe(3);
  });

  it('puts the QR code in a folder by name, creating it when missing; off, a missing folder is refused by label', async () => {
    const client = env.client();
    const qr = await getOperation('createQrCode').execute(client, {
      url: 'https://example.com/f',
      folderName: 'Spring campaign',
    });
    const folders = await client.folders.list();
    expect(folders.map((folder) => folder.name)).toEqual(['Spring campaign']);
    expect(qr.folderId).toBe(folders[0]?.id);
    const error = await failure(() =>
      getOperation('updateQrCode').execute(env.client(), {
        id: qr.id,
        folderName: 'Elsewhere',
        createMissingTags: false,
      }),
    );
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(/Folder Name \(folderName\): no folder is named "Elsewhere"/);
    expect(env.hits('POST', '/folders')).toBe(1);
  });
});

describe('runs racing on one tag name', () => {
  it('each of 5 runs at once (own client, own cache) gets its code tagged; one tag exists', async () => {
    const create = getOperation('createQrCode');
    env.exchanges.length = 0;
    const runs = Array.from({ length: 5 }, (_, i) =>
      create.execute(env.client(), { url: `https://example.com/race-${i}`, tagNames: 'Race Week' }),
    );
    const codes = await Promise.all(runs);
    // every run looked the name up before any created it, so the later creates met CodeQR's 409 and found the tag
    expect(env.hits('POST', '/tags')).toBeGreaterThan(1);
    const tags = (await env.client().tags.list()).filter((tag) => tag.name.toLowerCase() === 'race week');
    expect(tags).toHaveLength(1);
    for (const code of codes) expect((code.tags ?? []).map((tag) => tag.id)).toEqual([tags[0]?.id]);
  });
});

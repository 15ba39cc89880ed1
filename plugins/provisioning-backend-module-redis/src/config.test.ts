import { ConfigReader } from '@backstage/config';
import { readRedisDriverConfig } from './config';

const read = (redis: object) =>
  readRedisDriverConfig(
    new ConfigReader({ provisioning: { drivers: { redis } } }),
  );

describe('readRedisDriverConfig', () => {
  it('is undefined without a URL', () => {
    expect(readRedisDriverConfig(new ConfigReader({}))).toBeUndefined();
    expect(read({})).toBeUndefined();
  });

  it('applies defaults', () => {
    expect(read({ url: 'redis://:s3cret@cache.internal:6380/2' })).toEqual({
      url: 'redis://:s3cret@cache.internal:6380/2',
      publicHost: 'cache.internal',
      publicPort: 6380,
      db: 2,
      tls: false,
      commands: [
        '+@all',
        '-@admin',
        '-@dangerous',
        '-select',
        '-move',
        '-swapdb',
      ],
      maxMemoryBytes: { small: 67108864, medium: 268435456, large: 1073741824 },
      utilisationKeyLimit: 10000,
    });
    expect(read({ url: 'rediss://cache' })).toMatchObject({
      publicPort: 6379,
      db: 0,
      tls: true,
    });
  });

  it('reads overrides', () => {
    expect(
      read({
        url: 'redis://cache',
        publicHost: 'redis.example.com',
        publicPort: 16379,
        commands: '+@read +@write',
      }),
    ).toMatchObject({
      publicHost: 'redis.example.com',
      publicPort: 16379,
      commands: ['+@read', '+@write'],
    });
  });

  it('rejects bad values without echoing the URL', () => {
    expect(() => read({ url: 'http://user:s3cret@cache' })).toThrow(
      /redis:\/\/ or rediss:\/\//,
    );
    expect(() => read({ url: 'http://user:s3cret@cache' })).not.toThrow(
      /s3cret/,
    );
    expect(() => read({ url: 'redis://cache/x' })).toThrow(/database number/);
    expect(() => read({ url: 'redis://cache', commands: '+@all ~*' })).toThrow(
      /'~\*'/,
    );
  });
});

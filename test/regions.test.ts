import { parseTableArn, tableArn } from '../lambda/shared/arn';
import { isAuditedRegion, isRegionName, parseAuditRegions, partitionOf } from '../lambda/shared/regions';

describe('region names and the AuditRegions setting', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'il-central-1'])(
    'accepts %s as a region name',
    (region) => expect(isRegionName(region)).toBe(true),
  );

  it.each([
    '',
    'US-EAST-1',
    'us-east',
    'eu-west-1 ',
    'us_east_1',
    '../etc',
    'a'.repeat(40) + '-x-1',
    42,
    null,
  ])('rejects %p as a region name', (value) => expect(isRegionName(value)).toBe(false));

  it('reads an empty setting as the home region, ALL as every region, and a list as given', () => {
    expect(parseAuditRegions('')).toEqual({ kind: 'home' });
    expect(parseAuditRegions('ALL')).toEqual({ kind: 'all' });
    expect(parseAuditRegions('us-east-1, eu-west-1,us-east-1')).toEqual({
      kind: 'list',
      regions: ['us-east-1', 'eu-west-1'],
    });
  });

  it('refuses a list with a malformed region', () => {
    expect(() => parseAuditRegions('us-east-1,moon-1')).toThrow(/moon-1/);
  });

  it('knows which regions a setting covers', () => {
    expect(isAuditedRegion({ kind: 'home' }, 'us-east-1', 'us-east-1')).toBe(true);
    expect(isAuditedRegion({ kind: 'home' }, 'us-east-1', 'eu-west-1')).toBe(false);
    expect(isAuditedRegion({ kind: 'list', regions: ['eu-west-1'] }, 'us-east-1', 'eu-west-1')).toBe(true);
    expect(isAuditedRegion({ kind: 'all' }, 'us-east-1', 'ap-south-1')).toBe(true);
    expect(isAuditedRegion({ kind: 'all' }, 'us-east-1', 'cn-north-1')).toBe(false);
  });

  it('builds table ARNs in the region partition and parses them back', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    const arn = tableArn('us-gov-west-1', '123456789012', 'orders');
    expect(arn).toBe('arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/orders');
    expect(parseTableArn(arn)).toMatchObject({
      region: 'us-gov-west-1',
      accountId: '123456789012',
      tableName: 'orders',
    });
  });

  it.each([
    ['not-an-arn', /not a DynamoDB table ARN/],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/ab', /3–255/],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/bad name', /3–255/],
    [`arn:aws:dynamodb:eu-west-1:123456789012:table/${'a'.repeat(256)}`, /3–255/],
    ['arn:aws:dynamodb:EU-WEST-1:123456789012:table/orders', /region/],
    ['arn:aws-cn:dynamodb:eu-west-1:123456789012:table/orders', /partition/],
    ['arn:aws:dynamodb:eu-west-1:12345:table/orders', /account/],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026', /3–255/],
  ])('refuses the ARN %s', (arn, reason) => {
    const parsed = parseTableArn(arn);
    expect('invalid' in parsed && parsed.invalid).toMatch(reason);
  });
});

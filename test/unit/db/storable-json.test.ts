import { storableJson } from '../../../src/db/queries/storable-json';

describe('storableJson', () => {
  it('should replace U+0000 and lone surrogates with U+FFFD in values and keys at any depth', () => {
    // Arrange
    const record = { ['k\u0000\ud800']: [{ name: 'a\u0000b', answer: '\udc00x\ud83d' }], uri: 'u' };

    // Act
    const stored = JSON.parse(storableJson([record]));

    // Assert
    expect(stored).toEqual([{ ['k\ufffd\ufffd']: [{ name: 'a\ufffdb', answer: '\ufffdx\ufffd' }], uri: 'u' }]);
  });

  it('should keep valid surrogate pairs, other control characters and escaped backslashes as they are', () => {
    const record = { emoji: '😀', tab: 'a\tb\u0001', text: '\\u0000 and \\\\ud800 as typed' };

    expect(JSON.parse(storableJson(record))).toEqual(record);
  });
});

// 配置、策略、策略测试集和拓扑文件中的问题（简体中文）。file:line:col 和
// 严重程度（error、warning）不翻译；字段名、取值和正则表达式按原文引用。
import type { problems as en } from '../en/problems.js';

export const problems: typeof en = {
  document: '文档',
  or: '，或',
  schema: {
    unknownField: "{{where}} 中有未知字段 '{{field}}'",
    missingField: "{{where}} 缺少必填字段 '{{field}}'",
    oneOf: '{{where}} 必须是以下之一：{{values}}',
    type: '{{where}} 的类型必须是 {{type}}',
    form: '{{where}} 的格式不符合要求（{{pattern}}）',
    expected: '{{where}} 必须是{{expected}}（而不是 {{value}}）',
    byteCount: '{{where}} 必须是字节数，例如 1048576 或 "100 MiB"',
    ajv: {
      minimum: '{{where}} 必须 {{comparison}} {{limit}}',
      maximum: '{{where}} 必须 {{comparison}} {{limit}}',
      exclusiveMinimum: '{{where}} 必须 {{comparison}} {{limit}}',
      exclusiveMaximum: '{{where}} 必须 {{comparison}} {{limit}}',
      minItems: '{{where}} 至少要有 {{limit}} 项',
      maxItems: '{{where}} 最多只能有 {{limit}} 项',
      minLength: '{{where}} 至少要有 {{limit}} 个字符',
      maxLength: '{{where}} 最多只能有 {{limit}} 个字符',
      minProperties: '{{where}} 至少要有 {{limit}} 个字段',
      maxProperties: '{{where}} 最多只能有 {{limit}} 个字段',
      anyOf: '{{where}} 不符合任何一种允许的形式',
      oneOf: '{{where}} 必须恰好符合一种允许的形式',
      const: '{{where}} 必须等于规定的值',
      uniqueItems: '{{where}} 不能有重复项（第 {{j}} 项与第 {{i}} 项相同）',
      propertyNames: '{{where}} 中的字段名无效',
      multipleOf: '{{where}} 必须是 {{multipleOf}} 的整数倍',
    },
  },
  descriptions: {
    'a size: a number of bytes, or one such as 512KiB, 10MB, 2GiB': '一个大小：字节数，或 512KiB、10MB、2GiB 这样的写法',
    'a duration: a number of milliseconds, or one such as 500ms, 30s, 5m, 2h, 7d': '一段时长：毫秒数，或 500ms、30s、5m、2h、7d 这样的写法',
    'an address and port such as "127.0.0.1:8443" or "[::1]:8443"': '地址加端口，例如 "127.0.0.1:8443" 或 "[::1]:8443"',
    'a size for each label, such as { public: 100MiB, internal: 50MiB, sensitive: 10MiB }': '每个标签各一个大小，例如 { public: 100MiB, internal: 50MiB, sensitive: 10MiB }',
  },
};

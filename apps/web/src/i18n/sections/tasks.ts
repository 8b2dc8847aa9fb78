import type { Section } from './section.js';

export const en = {
  queued: 'Waiting to start…',
  running: 'Working…',
  failedTitle: '{{title}}: failed',
  failedUnknown: 'The operation failed without a message.',
} as const;

export const zh: Section<typeof en> = {
  queued: '等待开始…',
  running: '正在处理…',
  failedTitle: '{{title}}：失败',
  failedUnknown: '操作失败，没有返回错误信息。',
};

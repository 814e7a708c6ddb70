import type { Reply } from '../../intents/reply';
import type { Translate } from '../../i18n/i18n';
import { renderBlockKit } from '../../render/block-kit-renderer';
import { SLACK_LIMITS, type Block } from '../../render/block-kit/types';

/**
 * The App Home view: the replies' blocks one after another, within Home's 100-block limit.
 * Action ids of later replies get a suffix so they stay unique within the view.
 */
export function homeView(replies: Reply[], t: Translate): { type: 'home'; blocks: Block[] } {
  const blocks: Block[] = [];
  replies.forEach((reply, i) => {
    if (blocks.length) blocks.push({ type: 'divider' });
    const rendered = renderBlockKit(reply, t, { maxBlocks: SLACK_LIMITS.homeBlocks - blocks.length }).blocks;
    if (i > 0) for (const block of rendered) suffixActionIds(block, `-r${i}`);
    blocks.push(...rendered);
  });
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.homeBlocks) };
}

function suffixActionIds(block: Block, suffix: string): void {
  if (block.type === 'actions') for (const el of block.elements) el.action_id += suffix;
  if (block.type === 'section' && block.accessory) block.accessory.action_id += suffix;
}

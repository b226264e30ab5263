import { Tag, Tooltip } from 'antd';
import { FAMILY_STATUS, FAMILY_TYPE, STATUS_REASON } from '../../../../common/code-lists';
import type { FamilyStatus, FamilyType } from '../../api/families';
import { codeLabel, FAMILY_STATUS_COLORS, FAMILY_TYPE_COLORS } from './family-labels';

export function FamilyStatusTag({ status, reason }: { status: FamilyStatus; reason?: string | null }) {
  const tag = <Tag color={FAMILY_STATUS_COLORS[status]}>{FAMILY_STATUS[status]}</Tag>;
  return reason ? <Tooltip title={codeLabel(STATUS_REASON, reason)}>{tag}</Tooltip> : tag;
}

export function FamilyTypeTag({ type }: { type: FamilyType }) {
  return <Tag color={FAMILY_TYPE_COLORS[type]}>{FAMILY_TYPE[type]}</Tag>;
}

export function SpecialDifficultyTag() {
  return <Tag color="red">特殊困难</Tag>;
}

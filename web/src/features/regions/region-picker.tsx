import { useEffect } from 'react';
import { TreeSelect, Typography } from 'antd';
import { REGION_LEVELS, type RegionLevel } from '../../../../common/roles';
import { useRegion, useRegionPath, type Region } from '../../api/regions';
import { isLeafRegion, useLazyRegionTree } from './use-lazy-region-tree';

interface RegionPickerProps {
  /** The top of the tree: the signed-in user's own region. */
  rootCode: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Levels that may be chosen; the others can be opened but not chosen. */
  selectableLevels?: readonly RegionLevel[];
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  style?: React.CSSProperties;
}

interface PickerNode {
  value: string;
  title: React.ReactNode;
  isLeaf: boolean;
  selectable: boolean;
  children?: PickerNode[];
}

/** A region field that loads the tree one level at a time as it is opened. */
export function RegionPicker({
  rootCode,
  value,
  onChange,
  selectableLevels = REGION_LEVELS,
  placeholder = '请选择区划',
  allowClear,
  id,
  style,
}: RegionPickerProps) {
  const root = useRegion(rootCode);
  const tree = useLazyRegionTree();
  const { loadPath } = tree;
  // A value set before the picker opened (editing a user) needs its branch loaded to show its name.
  const valuePath = useRegionPath(value, rootCode);
  useEffect(() => {
    if (valuePath.data) loadPath(valuePath.data).catch(() => undefined);
  }, [valuePath.data, loadPath]);

  const toNode = (region: Region): PickerNode => {
    const selectable = selectableLevels.includes(region.level);
    return {
      value: region.code,
      title: selectable ? region.name : <Typography.Text type="secondary">{region.name}</Typography.Text>,
      isLeaf: isLeafRegion(region),
      selectable,
      children: tree.childrenOf[region.code]?.map(toNode),
    };
  };

  return (
    <TreeSelect<string>
      id={id}
      style={{ width: '100%', ...style }}
      value={value}
      onChange={(code) => onChange?.(code)}
      treeData={root.data ? [toNode(root.data)] : []}
      loadData={async (node) => {
        await tree.loadChildren(String(node.value));
      }}
      treeDefaultExpandedKeys={[rootCode]}
      placeholder={placeholder}
      allowClear={allowClear}
      loading={root.isPending}
      treeNodeLabelProp="title"
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 24px)' } } }}
      notFoundContent={root.isError ? '区划加载失败' : undefined}
    />
  );
}

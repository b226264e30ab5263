import { useEffect, useState } from 'react';
import { TreeSelect, Typography } from 'antd';
import { REGION_LEVELS, type RegionLevel } from '../../../common/roles';
import { useRegion, useRegionPath, useRegionSearch, type Region } from '../api/regions';
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

/** A region field that loads the tree one level at a time as it is opened, and finds a region by name as typed. */
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

  // Typing searches the whole subtree by name on the server (a village is three levels down); the
  // results replace the tree while there is text, each with its path so two 新华村 differ.
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const found = useRegionSearch(rootCode, query);
  const searching = search.trim() !== '';

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
      // Named for screen readers when no <label for> points at it (filters above lists).
      aria-label={id ? undefined : placeholder}
      style={{ width: '100%', ...style }}
      value={value}
      onChange={(code) => {
        setSearch('');
        onChange?.(code);
      }}
      showSearch
      searchValue={search}
      onSearch={setSearch}
      filterTreeNode={false}
      treeData={
        searching
          ? (found.data ?? []).map((r) => ({
              value: r.code,
              title: r.path,
              isLeaf: true,
              selectable: selectableLevels.includes(r.level),
              disabled: !selectableLevels.includes(r.level),
            }))
          : root.data
            ? [toNode(root.data)]
            : []
      }
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
      notFoundContent={
        searching
          ? found.isFetching || query !== search.trim()
            ? '查找中…'
            : `没有名称含“${search.trim()}”的区划`
          : root.isError
            ? '区划加载失败'
            : undefined
      }
    />
  );
}

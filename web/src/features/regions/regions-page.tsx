import { useEffect, useState, type Key } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App, Card, Col, Descriptions, Flex, Grid, Result, Row, Skeleton, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode as DataNode } from 'antd';
import { REGION_LEVELS, REGION_LEVEL_LABELS, type RegionLevel } from '../../../../common/roles';
import { errorMessage, isApiError } from '../../api/client';
import { useRegion, useRegionChildren, useRegionPath, type Region } from '../../api/regions';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { RegionBreadcrumb } from '../../components/region-breadcrumb';
import { PageSpin } from '../../components/page-spin';
import { usePageTitle } from '../../components/use-page-title';
import { isLeafRegion, useLazyRegionTree } from '../../components/use-lazy-region-tree';

function childLevelOf(level: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1];
}

export default function RegionsPage() {
  const { code = '' } = useParams();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const root = useRegion(user.regionCode);
  const path = useRegionPath(code, user.regionCode);
  const tree = useLazyRegionTree();
  const { loadPath } = tree;
  const [expandedKeys, setExpandedKeys] = useState<Key[]>([user.regionCode]);
  const selected = path.data?.at(-1);
  usePageTitle(selected ? `区划 · ${selected.name}` : '区划');

  // Open the tree down to the region in the address bar, and that region itself.
  useEffect(() => {
    if (!path.data) return;
    const opened = path.data.filter((region) => !isLeafRegion(region)).map((region) => region.code);
    setExpandedKeys((keys) => [...new Set([...keys, ...opened])]);
    loadPath(path.data).catch((err: unknown) => message.error(errorMessage(err)));
  }, [path.data, loadPath, message]);

  if (isApiError(path.error, 'NOT_FOUND') || isApiError(root.error, 'NOT_FOUND')) {
    return (
      <Result
        status="404"
        title="无此区划或无权查看"
        subTitle="该区划不存在，或不在您的管辖范围内。"
        extra={
          <LinkButton to={`/regions/${user.regionCode}`} type="primary">
            返回本级区划
          </LinkButton>
        }
      />
    );
  }
  if (path.isError || root.isError) {
    return <Result status="warning" title="区划信息加载失败" subTitle={errorMessage(path.error ?? root.error)} />;
  }

  const toNode = (region: Region): DataNode => ({
    key: region.code,
    title: region.name,
    isLeaf: isLeafRegion(region),
    children: tree.childrenOf[region.code]?.map(toNode),
  });

  const loadData = async ({ key }: { key: Key }) => {
    try {
      await tree.loadChildren(String(key));
    } catch (err) {
      message.error(errorMessage(err));
      throw err;
    }
  };

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        区划
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={{ span: 24, order: 2 }} md={{ span: 10, order: 1 }} xl={{ span: 8, order: 1 }}>
          <Card title="区划树" size="small">
            {root.data ? (
              // Beside the details on wide screens the tree scrolls on its own; on a phone the page scrolls.
              <div style={screens.md ? { maxHeight: 'calc(100vh - 220px)', overflow: 'auto' } : undefined}>
                <Tree
                  blockNode
                  showLine
                  treeData={[toNode(root.data)]}
                  loadData={loadData}
                  expandedKeys={expandedKeys}
                  onExpand={(keys) => setExpandedKeys(keys)}
                  selectedKeys={[code]}
                  onSelect={(_, info) => {
                    const key = String(info.node.key);
                    if (!info.node.isLeaf) setExpandedKeys((keys) => [...new Set([...keys, key])]);
                    navigate(`/regions/${key}`);
                  }}
                />
              </div>
            ) : (
              <Skeleton active />
            )}
          </Card>
        </Col>
        <Col xs={{ span: 24, order: 1 }} md={{ span: 14, order: 2 }} xl={{ span: 16, order: 2 }}>
          {path.data && selected ? <RegionDetail path={path.data} region={selected} /> : <PageSpin />}
        </Col>
      </Row>
    </>
  );
}

function RegionDetail({ path, region }: { path: Region[]; region: Region }) {
  const childLevel = childLevelOf(region.level);
  const children = useRegionChildren(isLeafRegion(region) ? undefined : region.code);
  return (
    <Card size="small" title={<RegionBreadcrumb path={path} linkTo={(code) => `/regions/${code}`} />}>
      <Flex align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="region-name">
          {region.name}
        </Typography.Title>
        <Tag color="blue">{REGION_LEVEL_LABELS[region.level]}</Tag>
      </Flex>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'name', label: '名称', children: region.name },
          { key: 'code', label: '区划代码', children: region.code },
          { key: 'level', label: '级别', children: REGION_LEVEL_LABELS[region.level] },
          {
            key: 'children',
            label: '下级区划',
            children:
              childLevel && region.childCount > 0 ? `${region.childCount} 个${REGION_LEVEL_LABELS[childLevel]}` : '无',
          },
        ]}
      />
      {childLevel && region.childCount > 0 && (
        <div style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">下辖{REGION_LEVEL_LABELS[childLevel]}：</Typography.Text>
          {children.data ? (
            <Flex wrap gap="4px 12px" style={{ marginTop: 8 }} data-testid="region-children">
              {children.data.map((child) => (
                <Link key={child.code} to={`/regions/${child.code}`}>
                  {child.name}
                </Link>
              ))}
            </Flex>
          ) : children.isError ? (
            <Typography.Text type="danger">{errorMessage(children.error)}</Typography.Text>
          ) : (
            <Skeleton active title={false} paragraph={{ rows: 2 }} />
          )}
        </div>
      )}
    </Card>
  );
}

import { createPortal } from 'react-dom';
import { Link } from 'react-router';
import { Alert, Button, Col, Flex, Row, Skeleton, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useVillageContactCards, type VillageContactCard } from '../../api/contacts';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { RegionPicker } from '../../components/region-picker';
import { ContactCardTable } from './contact-card-table';
import './contact-card.css';

/** Six cards to an A4 sheet (2 × 3, each 95 × 92 mm), cut along the dashed lines. */
const PER_SHEET = 6;

function CardBody({ card }: { card: VillageContactCard }) {
  return (
    <>
      <h2 className="contact-card-title">计划生育特殊家庭联系卡</h2>
      <p className="contact-card-sub">
        <strong>{card.familyName || '—'}</strong> 家
      </p>
      <p className="contact-card-sub">
        {card.regionName} · 档案号 {card.archiveNo}
      </p>
      <ContactCardTable contacts={card.contacts} />
      <p className="contact-card-note">有困难请随时联系我们。</p>
    </>
  );
}

/**
 * 批量打印联系卡 (issue 11 item 7, R3): every family of a village still in work, six cards to an A4 sheet with
 * cut lines. The family is named as in every list outside the archive (钱某兰); the phones are the contacts'.
 */
export default function ContactCardsPage() {
  usePageTitle('批量打印联系卡');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const region = params.get('region') ?? undefined;
  const cards = useVillageContactCards(region);
  const list = cards.data ?? [];
  const sheets: VillageContactCard[][] = [];
  for (let i = 0; i < list.length; i += PER_SHEET) sheets.push(list.slice(i, i + PER_SHEET));

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          批量打印联系卡
        </Typography.Title>
        <Link to="/contacts">返回联系人库</Link>
      </Flex>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }} align="middle">
        <Col xs={24} md={12} xl={8}>
          <RegionPicker
            rootCode={user.regionCode}
            selectableLevels={['village']}
            placeholder="选择村（居）"
            value={region}
            onChange={(code) => setFilters({ region: code })}
          />
        </Col>
        {list.length > 0 && (
          <Col>
            <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
              打印 {list.length} 张（{sheets.length} 页 A4）
            </Button>
          </Col>
        )}
      </Row>
      {!region && (
        <Alert type="info" showIcon title="选择一个村（居），生成该村在档家庭的联系卡，每张 A4 纸 6 张，沿虚线裁开。" />
      )}
      {cards.isPending && region && <Skeleton active />}
      {cards.isError && <Alert type="error" showIcon title={errorMessage(cards.error)} />}
      {cards.isSuccess && list.length === 0 && <Alert type="warning" showIcon title="该村（居）没有在档家庭" />}
      {list.length > 0 && (
        <div className="contact-cards-preview" data-testid="contact-cards">
          {list.map((card) => (
            <div className="contact-card" key={card.familyId} data-testid="village-contact-card">
              <CardBody card={card} />
            </div>
          ))}
        </div>
      )}
      {list.length > 0 &&
        createPortal(
          <div className="contact-card-print-root contact-cards-print-root">
            {sheets.map((sheet, i) => (
              <div className="contact-sheet" key={i}>
                {sheet.map((card) => (
                  <div className="contact-sheet-cell" key={card.familyId}>
                    <div className="contact-card">
                      <CardBody card={card} />
                    </div>
                  </div>
                ))}
              </div>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}

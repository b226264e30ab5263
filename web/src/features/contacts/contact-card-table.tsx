import type { Post } from '../../../../common/labels';
import { POST_LABELS } from './contact-labels';

interface CardContact {
  post: Post;
  name: string;
  phone: string;
  title?: string | null;
}

/** The 联系卡's table of posts, names and phones: one card for a family, or six to a sheet for a village. */
export function ContactCardTable({ contacts, withTitles = false }: { contacts: CardContact[]; withTitles?: boolean }) {
  return (
    <table className="contact-card-table">
      <thead>
        <tr>
          <th scope="col">岗位</th>
          <th scope="col">联系人</th>
          <th scope="col">电话</th>
        </tr>
      </thead>
      <tbody>
        {contacts.length === 0 && (
          <tr>
            <td colSpan={3}>尚未安排联系人</td>
          </tr>
        )}
        {contacts.map((c) => (
          <tr key={`${c.post}:${c.name}`}>
            <td>{POST_LABELS[c.post]}</td>
            <td>
              {c.name}
              {withTitles && c.title ? `（${c.title}）` : ''}
            </td>
            <td className="contact-card-phone">{c.phone}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

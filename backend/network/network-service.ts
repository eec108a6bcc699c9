import { problems } from "../http/problem";
import type { PersonalDataCipher } from "../orgs/personal-data";
import type { DirectoryRepository, DirectorySearchResult } from "./directory-repository";

/**
 * Finding people and places to share with. Search returns names and ids only; the exact email
 * lookup goes through the blind index, so the email itself is never compared in the clear.
 */
export class NetworkService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly personal: PersonalDataCipher,
  ) {}

  search(q: string): Promise<DirectorySearchResult> {
    return this.directory.search(q, 20);
  }

  async lookupByEmail(email: string) {
    const handle = await this.directory.userByEmailIndex(this.personal.emailIndex(email));
    if (!handle) throw problems.notFound("A network user with this email address");
    return handle;
  }
}

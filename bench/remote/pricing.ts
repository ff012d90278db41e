// The fixture of bench:remote: a `pricing` module behind a facade, and a `checkout` module that
// calls it the way a real consumer does (the facade injected in its constructor). Both the
// benchmark process and the child that serves `pricing` over NATS import this file.
import { Inject, Injectable } from '@nestjs/common';
import { Facade, FeatureModule } from 'nest-modulith';

export interface QuoteInput {
  sku: string;
  quantity: number;
}

export interface QuoteLine {
  kind: 'unit' | 'volume-discount' | 'vat';
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface Quote {
  sku: string;
  currency: string;
  total: number;
  lines: QuoteLine[];
}

@Facade<PricingFacade>({ quote: true })
export abstract class PricingFacade {
  abstract quote(input: QuoteInput): Promise<Quote>;
}

const CATALOGUE: Record<string, { name: string; unitPrice: number }> = {
  'SKU-1042': { name: 'Thermal label printer', unitPrice: 189.9 },
  'SKU-2210': { name: 'Label roll 102x152', unitPrice: 12.5 },
};
const VAT = 0.2;

const cents = (amount: number): number => Math.round(amount * 100) / 100;

/** The implementation: a few lines of arithmetic, so the figures show the cost of the call path. */
@Injectable()
export class PricingService implements PricingFacade {
  async quote(input: QuoteInput): Promise<Quote> {
    const item = CATALOGUE[input.sku];
    if (!item) throw new Error(`unknown sku ${input.sku}`);
    const gross = cents(item.unitPrice * input.quantity);
    const discountRate = input.quantity >= 10 ? 0.05 : 0;
    const discount = cents(-gross * discountRate);
    const vat = cents((gross + discount) * VAT);
    const lines: QuoteLine[] = [
      { kind: 'unit', description: item.name, quantity: input.quantity, unitPrice: item.unitPrice, amount: gross },
      { kind: 'volume-discount', description: `${discountRate * 100}% from 10 units`, quantity: 1, unitPrice: discount, amount: discount },
      { kind: 'vat', description: `VAT ${VAT * 100}%`, quantity: 1, unitPrice: vat, amount: vat },
    ];
    return { sku: input.sku, currency: 'EUR', total: cents(gross + discount + vat), lines };
  }
}

@FeatureModule({ name: 'pricing', facades: [{ provide: PricingFacade, useClass: PricingService }] })
export class PricingModule {}

/** The consumer: holds whatever the container resolved PricingFacade to in this topology. */
@Injectable()
export class CheckoutService {
  constructor(@Inject(PricingFacade) readonly pricing: PricingFacade) {}
}

@FeatureModule({ name: 'checkout', imports: [PricingModule], providers: [CheckoutService] })
export class CheckoutModule {}

/** The module.json files of the fixture, for the temporary project the apps load. */
export const MANIFESTS = {
  'modules/pricing/module.json': { name: 'pricing' },
  'modules/checkout/module.json': { name: 'checkout', dependsOn: ['pricing'] },
};

export const SAMPLE_INPUT: QuoteInput = { sku: 'SKU-1042', quantity: 12 };
